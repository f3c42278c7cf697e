import type { Reporter, SerializedError, TestModule, Vitest } from 'vitest/node';

/**
 * Prints one plain line as the very last line of a run, for CI's log reader:
 *
 *   Tests: N passed, N failed            (", N skipped" is appended when any were skipped)
 *
 * Runs after the default reporter (it is listed after it in vitest.config.ts).
 * Counting:
 * - passed / failed / skipped are test cases in that final state (todo counts as skipped);
 * - a test module that failed without any failed test case (a syntax or import error, a failing
 *   beforeAll/afterAll hook) counts as one failed test, so a broken file can never read as green;
 * - each unhandled error reported for the run counts as one failed test, for the same reason.
 */
export default class SummaryLineReporter implements Reporter {
  #vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      let moduleFailedTests = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') {
          failed++;
          moduleFailedTests++;
        } else if (state === 'skipped') skipped++;
      }
      if (moduleFailedTests === 0 && (mod.state() === 'failed' || mod.errors().length > 0)) failed++;
    }
    failed += unhandledErrors.length;

    const line = `Tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
    // Through vitest's logger so it stays ordered with the other reporters' output.
    if (this.#vitest) this.#vitest.logger.log(line);
    else process.stdout.write(`${line}\n`);
  }
}
