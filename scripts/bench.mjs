#!/usr/bin/env node
// `npm run bench [-- GROUP]`: makes sure Chromium is installed, then runs tests/bench/run.ts.
//
// Like `npm test` (scripts/test.mjs), benchmarks that drive tabs over WebRTC must send traffic to
// loopback only, so when root the whole run happens in a network namespace that has nothing but
// `lo` (`unshare -n`). Without root, groups that need it fail saying why; the others run anyway.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const chromium = spawnSync(process.execPath, [join(ROOT, 'scripts/ensure-chromium.mjs')], { stdio: 'inherit' });
if (chromium.status !== 0) process.exit(chromium.status ?? 1);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
// A trial run: root in a container may still be refused a network namespace.
const isolate = isRoot &&
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;

const bench = [process.execPath, '--import', 'tsx', join(ROOT, 'tests/bench/run.ts'), ...args];
const command = isolate
  ? ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...bench]
  : bench;
if (isolate) console.log('[bench] running in a network namespace that has only the loopback interface (unshare -n)');
else console.log('[bench] cannot make a loopback-only network namespace (needs root, unshare and ip): WebRTC benchmarks will fail');

const child = spawn(command[0], command.slice(1), { stdio: 'inherit', cwd: ROOT });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
