#!/usr/bin/env node
// Makes sure a Chromium binary is available for the browser tests.
//
// Looks at $CHROMIUM_PATH, else /usr/bin/chromium. If it is missing and we are root on a
// system with apt-get, installs Debian's `chromium` package; otherwise exits 1 and says
// exactly what to install. Never downloads a browser from anywhere else.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';

const DEFAULT_PATH = '/usr/bin/chromium';
const fromEnv = process.env.CHROMIUM_PATH;
const chromiumPath = fromEnv && fromEnv.length > 0 ? fromEnv : DEFAULT_PATH;

function isExecutable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasAptGet() {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args) {
  console.log(`[ensure-chromium] running: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0) {
    console.error(`[ensure-chromium] '${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

function printVersion(p) {
  try {
    const v = execFileSync(p, ['--version'], {
      encoding: 'utf8',
      timeout: 30_000,
      // Debian's /usr/bin/chromium wrapper prints a harmless shell warning on stderr.
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    console.log(`[ensure-chromium] found ${p}: ${v}`);
  } catch (err) {
    console.error(`[ensure-chromium] ${p} exists but '--version' failed: ${err.message}`);
    process.exit(1);
  }
}

if (!isExecutable(chromiumPath)) {
  if (fromEnv) {
    console.error(
      `[ensure-chromium] CHROMIUM_PATH is set to '${fromEnv}', but no executable is there. ` +
        `Point CHROMIUM_PATH at a Chromium binary, or unset it and run 'sudo apt-get install -y chromium'.`,
    );
    process.exit(1);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && hasAptGet()) {
    console.log(`[ensure-chromium] ${chromiumPath} not found; installing Debian's chromium package.`);
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
    if (!existsSync(chromiumPath)) {
      console.error(`[ensure-chromium] apt-get installed chromium, but ${chromiumPath} is still missing.`);
      process.exit(1);
    }
  } else {
    console.error(
      `[ensure-chromium] Chromium not found at ${chromiumPath}. ` +
        `Install it with 'sudo apt-get install -y chromium', or set CHROMIUM_PATH to a Chromium binary.`,
    );
    process.exit(1);
  }
}

printVersion(chromiumPath);
