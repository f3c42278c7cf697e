#!/usr/bin/env node
// `npm run bench`: the benchmarks (tests/bench/run.ts; an argument picks one group) in a
// loopback-only network namespace when root, since several start WebRTC between tabs.
import { join } from 'node:path';
import { ROOT, runLoopbackOnly } from './loopback-only.mjs';

runLoopbackOnly('bench', [process.execPath, '--import', 'tsx', join(ROOT, 'tests/bench/run.ts'), ...process.argv.slice(2)]);
