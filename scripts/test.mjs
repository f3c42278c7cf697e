#!/usr/bin/env node
// `npm test`: vitest (arguments are passed on) in a loopback-only network namespace when root.
// Everything in the suite talks to 127.0.0.1 only; WebRTC between tabs additionally needs the
// namespace (see scripts/loopback-only.mjs and tests/helpers/netns.ts).
import { join } from 'node:path';
import { ROOT, runLoopbackOnly } from './loopback-only.mjs';

runLoopbackOnly('test', [process.execPath, join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)]);
