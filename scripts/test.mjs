#!/usr/bin/env node
// `npm test`: makes sure Chromium is installed, then runs vitest (arguments are passed on).
//
// Browser tests that use WebRTC must send traffic to loopback only, so the whole run — the relays
// the tests start and the Chromium they drive — happens in a network namespace that has nothing
// but `lo`: as root, under `unshare -n`. Everything else in the suite only talks to 127.0.0.1 and
// runs there unchanged. Without root (or without unshare/ip) vitest runs directly, and each WebRTC
// test fails saying why (tests/helpers/netns.ts) instead of being skipped.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
const args = process.argv.slice(2);

const chromium = spawnSync(process.execPath, [join(ROOT, 'scripts/ensure-chromium.mjs')], { stdio: 'inherit' });
if (chromium.status !== 0) process.exit(chromium.status ?? 1);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
// A trial run: root in a container may still be refused a network namespace.
const isolate = isRoot &&
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;

const vitest = [process.execPath, VITEST, 'run', ...args];
const command = isolate
  ? ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...vitest]
  : vitest;
if (isolate) console.log('[test] running in a network namespace that has only the loopback interface (unshare -n)');
else console.log('[test] cannot make a loopback-only network namespace (needs root, unshare and ip): WebRTC tests will fail');

const child = spawn(command[0], command.slice(1), { stdio: 'inherit', cwd: ROOT });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
