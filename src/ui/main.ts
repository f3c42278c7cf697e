import { mount, type Component } from 'svelte';
import App from './App.svelte';
import { isMinerPage, isValidatorPage } from '../participant/page-role.ts';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// `npm run validator` opens the same page with ?role=validator, `npm start -- --demo N` with ?role=miner;
// their apps load only then, so a person's visit does not fetch the agent with them.
const root: Promise<Component> = isValidatorPage(location)
  ? import('./ValidatorApp.svelte').then(m => m.default)
  : isMinerPage(location) ? import('./MinerApp.svelte').then(m => m.default) : Promise.resolve(App);

export default root.then(component => mount(component, { target }));
