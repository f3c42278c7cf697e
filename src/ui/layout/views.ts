// The views other than mining (home), in one chunk that Shell loads when one of them is first
// opened: a first visit, which lands on mining, does not download them.
export { default as WalletView } from '../wallet/WalletView.svelte'
export { default as ExplorerHome } from '../explorer/ExplorerHome.svelte'
export { default as BlockPage } from '../explorer/BlockPage.svelte'
export { default as AccountPage } from '../explorer/AccountPage.svelte'
export { default as SubnetList } from '../subnets/SubnetList.svelte'
export { default as SubnetPage } from '../subnets/SubnetPage.svelte'
export { default as GovernanceView } from '../governance/GovernanceView.svelte'
