import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Cross-origin isolation: ONNX Runtime Web only uses its WASM threads (SharedArrayBuffer)
// when the page is cross-origin isolated. The relay's static server must send the same pair.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

// The relay (relay/main.ts) listens here during development.
const RELAY_ORIGIN = 'http://localhost:8080';

export default defineConfig({
  plugins: [svelte()],
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
