/**
 * One copy of each package version in the page's bundle: a Vite plugin that resolves every
 * import of a package found under a nested `node_modules` to the first copy of the same name and
 * version it met.
 *
 * Why: npm cannot hoist libp2p's newer `protons-runtime`, `uint8arraylist` and `uint8arrays`
 * over the older ones `@chainsafe/libp2p-noise` and `-yamux` pin at the top, so it nests one copy
 * per dependent (nine, nineteen and twenty-four of them), and the bundler, which keys modules
 * by path, shipped each. Copies of one version come from one registry tarball, so any of them
 * serves; different versions are left alone.
 */
import { readFileSync } from 'node:fs'
import type { Plugin } from 'vite'

const NODE_MODULES = '/node_modules/'

/** `…/node_modules/name` or `…/node_modules/@scope/name` of a resolved file, with the rest of its path; null outside node_modules. */
function packageOf (file: string): { root: string, rest: string } | null {
  const at = file.lastIndexOf(NODE_MODULES)
  if (at < 0) return null
  const parts = file.slice(at + NODE_MODULES.length).split('/')
  const depth = parts[0]!.startsWith('@') ? 2 : 1
  if (parts.length <= depth) return null
  return { root: file.slice(0, at + NODE_MODULES.length) + parts.slice(0, depth).join('/'), rest: parts.slice(depth).join('/') }
}

export function dedupePackages (): Plugin {
  /** `name@version` → the package root first resolved for it. */
  const canonical = new Map<string, string>()
  /** Package root → `name@version`, or null when it has no readable package.json. */
  const versions = new Map<string, string | null>()

  function keyOf (root: string): string | null {
    if (!versions.has(root)) {
      let key: string | null = null
      try {
        const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { name?: string, version?: string }
        if (pkg.name !== undefined && pkg.version !== undefined) key = `${pkg.name}@${pkg.version}`
      } catch { /* no package.json at the root: leave the path as it is */ }
      versions.set(root, key)
    }
    return versions.get(root)!
  }

  return {
    name: 'tabtensor:dedupe-packages',
    apply: 'build',
    enforce: 'pre',
    resolveId: {
      // Bare specifiers only: a relative import inside a package stays in the copy its importer is in.
      filter: { id: /^[^./\0]/ },
      async handler (source, importer, options) {
        if (importer === undefined) return null
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
        if (resolved === null || resolved.external === true) return resolved
        const [file, query = ''] = resolved.id.split('?', 2) as [string, string?]
        const pkg = packageOf(file)
        if (pkg === null) return resolved
        const key = keyOf(pkg.root)
        if (key === null) return resolved
        const first = canonical.get(key)
        if (first === undefined) { canonical.set(key, pkg.root); return resolved }
        if (first === pkg.root) return resolved
        return { ...resolved, id: `${first}/${pkg.rest}${query === '' ? '' : `?${query}`}` }
      }
    }
  }
}
