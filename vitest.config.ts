// Must come first: vitest 5 needs ES2024 built-ins that Node 20 lacks (see the file).
import './tests/helpers/node20-polyfills.ts';
import { availableParallelism } from 'node:os';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Browser (Chromium) and relay tests are heavy: on a 2-core machine they need long timeouts and
// must run one file at a time, after the unit tests, never alongside them.
const E2E_TIMEOUT_MS = 120_000;
// Property tests replay hundreds of random blocks and epochs; on a loaded 2-core machine some
// take tens of seconds. A ceiling, not a speed check: speed is measured in `npm run bench`.
const UNIT_TIMEOUT_MS = 60_000;
// vitest's default (cores - 1) is 1 worker on the 2-core CI machine, which would make the unit
// project sequential too (and vitest then schedules it after every ordered group).
const UNIT_WORKERS = Math.max(2, availableParallelism() - 1);
const E2E_FILES = ['tests/relay/**/*.spec.ts', 'tests/browser/**/*.spec.ts'];

export default defineConfig({
  // Compiles Svelte 5 runes in .svelte.ts modules that unit tests may import.
  plugins: [svelte()],
  test: {
    environment: 'node',
    // No root `include`: projects that `extends: true` would concatenate it with their own.
    reporters: ['default', './tests/reporters/summary.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Every spec that is not e2e (normally tests/unit/**), in parallel.
          include: ['tests/**/*.spec.ts'],
          exclude: ['**/node_modules/**', ...E2E_FILES],
          maxWorkers: UNIT_WORKERS,
          testTimeout: UNIT_TIMEOUT_MS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E_FILES,
          testTimeout: E2E_TIMEOUT_MS,
          hookTimeout: E2E_TIMEOUT_MS,
          // One file at a time (this sets maxWorkers to 1) ...
          fileParallelism: false,
          // ... and only after the unit project has finished (groups run lowest first).
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
