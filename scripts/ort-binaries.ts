/**
 * ONNX Runtime Web's binaries, served by us: a Vite plugin that copies the files the
 * `onnxruntime-web/webgpu` entry point loads (ORT_FILES) from the installed package into
 * `wasm/ort/` (git ignores it), serves them at ORT_BASE_PATH in the dev server, and puts them at
 * the same path in every build's output, where `vite preview` and the relay's static server
 * serve them. Nothing is fetched from a CDN; the version is the one package.json pins.
 */
import { copyFileSync, createReadStream, existsSync, mkdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import type { Plugin } from 'vite'
import { ORT_BASE_PATH, ORT_FILES } from '../src/inference/constants.ts'

const ROOT = resolve(import.meta.dirname, '..')
/** The repository's copy of the binaries. */
export const ORT_DIR = join(ROOT, 'wasm/ort')

const MIME: Record<string, string> = { '.wasm': 'application/wasm', '.mjs': 'text/javascript; charset=utf-8' }

/** Copies ORT_FILES from the installed onnxruntime-web into `dir` (only those that differ); returns the folder. */
export function copyOrtBinaries (dir = ORT_DIR): string {
  // The package's exports name each binary, so this finds them wherever npm put the package.
  const require = createRequire(join(ROOT, 'package.json'))
  const source = dirname(require.resolve(`onnxruntime-web/${ORT_FILES[1]}`))
  mkdirSync(dir, { recursive: true })
  for (const file of ORT_FILES) {
    const from = join(source, file)
    const to = join(dir, file)
    if (existsSync(to) && statSync(to).size === statSync(from).size && statSync(to).mtimeMs >= statSync(from).mtimeMs) continue
    copyFileSync(from, to)
  }
  return dir
}

export function ortBinaries (): Plugin {
  let outDir = ''
  return {
    name: 'tabtensor:ort-binaries',
    configResolved (config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    buildStart () {
      copyOrtBinaries()
    },
    configureServer (server) {
      copyOrtBinaries()
      server.middlewares.use(ORT_BASE_PATH, (req, res, next) => {
        const file = (req.url ?? '').split('?')[0]!.replace(/^\//, '')
        if (!(ORT_FILES as readonly string[]).includes(file)) return next()
        const path = join(ORT_DIR, file)
        res.setHeader('Content-Type', MIME[file.slice(file.lastIndexOf('.'))]!)
        res.setHeader('Content-Length', statSync(path).size)
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
        res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp')
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
        createReadStream(path).pipe(res)
      })
    },
    writeBundle () {
      copyOrtBinaries(join(outDir, ORT_BASE_PATH))
    }
  }
}
