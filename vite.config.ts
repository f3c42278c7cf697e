import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defaultClientConditions, defineConfig } from 'vite';
import { dedupePackages } from './scripts/dedupe-packages.ts';
import { ortBinaries } from './scripts/ort-binaries.ts';

// Cross-origin isolation: ONNX Runtime Web only uses its WASM threads (SharedArrayBuffer)
// when the page is cross-origin isolated. The relay's static server must send the same pair.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

// The relay (relay/main.ts) listens here during development.
const RELAY_ORIGIN = 'http://localhost:8080';

export default defineConfig({
  plugins: [svelte(), ortBinaries(), dedupePackages()],
  resolve: {
    // onnxruntime-web's build that loads its .wasm/.mjs from env.wasm.wasmPaths (our /ort/ copy)
    // instead of embedding a second reference that Vite would emit as a 27 MB asset.
    conditions: [...defaultClientConditions, 'onnxruntime-web-use-extern-wasm'],
  },
  // Served as it is: pre-bundling would not change it and would hide it from the condition above.
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
  },
  // index.html at the repo root loads /src/ui/main.ts.
  root: '.',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The libp2p stack is one ~650 kB chunk that the page loads on demand, after it has rendered.
    chunkSizeWarningLimit: 1024,
  },
  // Module workers (ORT in a worker, compute workers) may code-split; IIFE workers cannot.
  worker: {
    format: 'es',
  },
  server: {
    headers: crossOriginIsolation,
    proxy: {
      '/api': { target: RELAY_ORIGIN, changeOrigin: true, ws: true },
      '/metrics': { target: RELAY_ORIGIN, changeOrigin: true },
    },
  },
  preview: {
    headers: crossOriginIsolation,
  },
});
