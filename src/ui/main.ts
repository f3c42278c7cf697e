import { mount } from 'svelte';
import App from './App.svelte';
import MinerApp from './MinerApp.svelte';
import ValidatorApp from './ValidatorApp.svelte';
import { isMinerPage } from '../participant/miner-mode.ts';
import { isValidatorPage } from '../participant/validator-mode.ts';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// `npm run validator` opens the same page with ?role=validator, `npm start -- --demo N` with ?role=miner.
const root = isValidatorPage(location) ? ValidatorApp : isMinerPage(location) ? MinerApp : App;
const app = mount(root, { target });

export default app;
