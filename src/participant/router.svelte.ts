/**
 * The page's routes, kept in the location hash (`#/wallet`, `#/explorer/block/12`) so the relay
 * serves one file for every route, links can be shared, and the back button works without a
 * router library. `parseRoute` is pure and tested; `Router` only follows `hashchange`.
 */

export type Route =
  | { view: 'mining' }
  | { view: 'wallet' }
  | { view: 'explorer' }
  | { view: 'block', height: number }
  | { view: 'account', address: string }
  | { view: 'subnets' }
  | { view: 'subnet', netuid: number }
  | { view: 'governance' }
  | { view: 'demo' }
  | { view: 'not-found', path: string }

export type View = Route['view']

/** The views the navigation lists, in order, with their labels. */
export const NAV_ITEMS: ReadonlyArray<{ view: View, label: string, href: string }> = [
  { view: 'mining', label: 'Mining', href: '#/' },
  { view: 'wallet', label: 'Wallet', href: '#/wallet' },
  { view: 'explorer', label: 'Explorer', href: '#/explorer' },
  { view: 'subnets', label: 'Subnets', href: '#/subnets' },
  { view: 'governance', label: 'Governance', href: '#/governance' },
  { view: 'demo', label: 'Demo', href: '#/demo' }
]

/** Which navigation item a route belongs to (a block page is part of the explorer). */
export function section (route: Route): View {
  switch (route.view) {
    case 'block':
    case 'account': return 'explorer'
    case 'subnet': return 'subnets'
    default: return route.view
  }
}

const wholeNumber = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined

export function parseRoute (hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '')
  const [head = '', a, b, ...rest] = path.split('/').map(part => { try { return decodeURIComponent(part) } catch { return part } })
  const notFound: Route = { view: 'not-found', path: `/${path}` }
  if (rest.length > 0) return notFound
  switch (head) {
    case '': return a === undefined ? { view: 'mining' } : notFound
    case 'wallet':
    case 'governance':
    case 'demo': return a === undefined ? { view: head } : notFound
    case 'explorer': {
      if (a === undefined) return { view: 'explorer' }
      const height = wholeNumber(b)
      if (a === 'block' && height !== undefined) return { view: 'block', height }
      if (a === 'account' && b !== undefined && b !== '') return { view: 'account', address: b }
      return notFound
    }
    case 'subnets': {
      if (a === undefined) return { view: 'subnets' }
      const netuid = wholeNumber(a)
      return netuid !== undefined && b === undefined ? { view: 'subnet', netuid } : notFound
    }
    default: return notFound
  }
}

export const href = {
  block: (height: number) => `#/explorer/block/${height}`,
  account: (address: string) => `#/explorer/account/${encodeURIComponent(address)}`,
  subnet: (netuid: number) => `#/subnets/${netuid}`
}

export class Router {
  route = $state<Route>({ view: 'mining' })
  readonly #onChange = (): void => { this.route = parseRoute(location.hash) }

  start (): void {
    this.#onChange()
    addEventListener('hashchange', this.#onChange)
  }

  stop (): void {
    removeEventListener('hashchange', this.#onChange)
  }
}
