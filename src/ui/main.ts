import { mount } from 'svelte';
import App from './App.svelte';
import ValidatorApp from './ValidatorApp.svelte';
import { isValidatorPage } from '../participant/validator-mode.ts';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// `npm run validator` opens the same page with ?role=validator.
const app = mount(isValidatorPage(location) ? ValidatorApp : App, { target });

export default app;
