// Runs a command in a network namespace that has only `lo` (as root, under `unshare -n`), after
// making sure Chromium is installed. `npm test` and `npm run bench` both start relays and drive
// Chromium tabs that talk over WebRTC, whose traffic must reach loopback only. Without root (or
// without unshare/ip) the command runs directly and says so; WebRTC tests then fail with a reason.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `command` (argv) as `label`, isolated when possible, and exits with its status. */
export function runLoopbackOnly(label, command) {
  const chromium = spawnSync(process.execPath, [join(ROOT, 'scripts/ensure-chromium.mjs')], { stdio: 'inherit' });
  if (chromium.status !== 0) process.exit(chromium.status ?? 1);

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // A trial run: root in a container may still be refused a network namespace.
  const isolate = isRoot &&
    spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
  const argv = isolate ? ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...command] : command;
  if (isolate) console.log(`[${label}] running in a network namespace that has only the loopback interface (unshare -n)`);
  else console.log(`[${label}] cannot make a loopback-only network namespace (needs root, unshare and ip): WebRTC ${label === 'test' ? 'tests' : 'benchmarks'} will fail`);

  const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit', cwd: ROOT });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
}
