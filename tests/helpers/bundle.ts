/**
 * Bundles a TypeScript entry into one script for a page (Vite's library build, IIFE), so browser
 * tests and benchmarks run the very same core code in Chromium that Node runs.
 */
import { resolve } from 'node:path'
import { build, type PluginOption } from 'vite'

const ROOT = resolve(import.meta.dirname, '../..')

/**
 * The entry's code as a classic script that sets `globalThis[name]` to its exports. `plugins` are
 * for entries that import more than TypeScript (Svelte components).
 */
export async function bundleForPage (entry: string, name: string, plugins: PluginOption[] = []): Promise<string> {
  const result = await build({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    plugins,
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve(ROOT, entry), formats: ['iife'], name, fileName: name }
    }
  })
  const outputs = Array.isArray(result) ? result : [result]
  for (const output of outputs) {
    if ('output' in output) {
      const chunk = output.output.find(o => o.type === 'chunk')
      if (chunk !== undefined && 'code' in chunk) return chunk.code
    }
  }
  throw new Error(`bundling ${entry} produced no script`)
}
