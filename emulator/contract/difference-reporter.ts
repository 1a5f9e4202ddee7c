/**
 * Vitest reporter of `npm run test:contract`: after the run, prints the report of
 * {@link formatDifferenceReport} (on an external run, the checks that differ from the local Logto).
 */
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { type CheckOutcome, formatDifferenceReport } from './difference-report';
import { isExternalTarget } from './target';

export default class DifferenceReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const outcomes: CheckOutcome[] = [];
    for (const testModule of testModules) {
      const file = relative(process.cwd(), testModule.moduleId);
      // Hook failures (a fixture Logto refused to create, a cleanup that failed) belong to no test.
      for (const suite of [testModule, ...testModule.children.allSuites()]) {
        const errors = suite.errors();
        if (errors.length === 0) continue;
        outcomes.push({
          file,
          name: suite.type === 'module' ? '(file hooks)' : `${suite.fullName.replace(/ > /g, ' › ')} (hooks)`,
          state: 'failed',
          errors: errors.map((error) => ({ message: error.message })),
          requests: [],
        });
      }
      for (const test of testModule.children.allTests()) {
        const result = test.result();
        outcomes.push({
          file,
          name: test.fullName.replace(/ > /g, ' › '),
          state: result.state,
          errors: (result.errors ?? []).map((error) => ({
            message: error.message,
            expected: error.expected,
            actual: error.actual,
          })),
          requests: test.meta().contractRequests ?? [],
          note: result.state === 'skipped' ? result.note : undefined,
        });
      }
    }
    const isExternal = isExternalTarget();
    const target = isExternal
      ? process.env.LOGTO_MANAGEMENT_ENDPOINT || process.env.LOGTO_ENDPOINT || 'an external Logto'
      : 'the local Logto';
    console.log(`\n${formatDifferenceReport(outcomes, { target, isExternal })}\n`);
  }
}
