import { describe, expect, it } from 'vitest';
import { firstLine, summarizePeerReport } from './peer-report';

const root = '/tmp/suite/tests/api/organization';

describe('summarizePeerReport', () => {
  it('counts passed, failed and skipped tests and lists failures by file', () => {
    const summary = summarizePeerReport(
      {
        testResults: [
          {
            name: `${root}/organization.test.ts`,
            status: 'failed',
            assertionResults: [
              { fullName: 'organization APIs creates', status: 'passed' },
              {
                fullName: 'organization APIs deletes',
                status: 'failed',
                failureMessages: [
                  '\u001B[31mHTTPError\u001B[39m: Request failed with status code 404\n    at x',
                ],
              },
              { fullName: 'organization APIs later', status: 'skipped' },
            ],
          },
          {
            name: `${root}/organization-jit.test.ts`,
            status: 'passed',
            assertionResults: [{ status: 'passed', title: 't' }],
          },
        ],
      },
      root,
    );
    expect(summary).toMatchObject({ passed: 2, failed: 1, skipped: 1, total: 4, brokenFiles: [] });
    expect(summary.failures).toEqual([
      {
        file: 'organization.test.ts',
        test: 'organization APIs deletes',
        reason: 'HTTPError: Request failed with status code 404',
      },
    ]);
  });

  it('reports a file that failed before any test ran', () => {
    const summary = summarizePeerReport(
      {
        testResults: [
          {
            name: `${root}/a.test.ts`,
            status: 'failed',
            message: 'Cannot find module ky',
            assertionResults: [],
          },
        ],
      },
      root,
    );
    expect(summary.brokenFiles).toEqual([{ file: 'a.test.ts', reason: 'Cannot find module ky' }]);
    expect(summary.total).toBe(0);
  });

  it('refuses a report without test files', () => {
    expect(() => summarizePeerReport({ testResults: [] }, root)).toThrow('lists no test files');
    expect(() => summarizePeerReport({}, root)).toThrow('lists no test files');
  });

  it('keeps the first non-empty line, at most 200 characters', () => {
    expect(firstLine('\n\n  second\nthird')).toBe('second');
    expect(firstLine('x'.repeat(300))).toHaveLength(200);
  });
});
