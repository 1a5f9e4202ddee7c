/**
 * Reads the JSON report vitest writes (`--reporter=json`) for Logto's own integration tests and
 * turns it into the counts and failure list the peer-suite command prints.
 */

type AssertionResult = {
  fullName?: string;
  title?: string;
  ancestorTitles?: string[];
  status: string;
  failureMessages?: string[];
};

type FileResult = { name: string; assertionResults?: AssertionResult[]; message?: string; status?: string };

export type PeerFailure = { file: string; test: string; reason: string };

export type PeerSummary = {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  /** Files that failed before any test ran (an import error, a failing `beforeAll`…). */
  brokenFiles: Array<{ file: string; reason: string }>;
  failures: PeerFailure[];
};

/** The first line of a failure message, without ANSI colours, at most 200 characters. */
export function firstLine(message: string): string {
  const plain = message.replace(/\u001B\[[\d;]*m/g, '');
  const line = plain.split('\n').find((text) => text.trim() !== '') ?? '';
  return line.trim().slice(0, 200);
}

/**
 * Summarises a vitest JSON report. `root` is cut from file names so the list reads
 * `organization/organization.test.ts`. Throws if the report has no test files at all, so a run that
 * found nothing never reads as "0 failures".
 */
export function summarizePeerReport(report: unknown, root: string): PeerSummary {
  const files = (report as { testResults?: FileResult[] }).testResults;
  if (!Array.isArray(files) || files.length === 0) throw new Error('The vitest report lists no test files.');
  const summary: PeerSummary = { passed: 0, failed: 0, skipped: 0, total: 0, brokenFiles: [], failures: [] };
  for (const file of files) {
    const name = file.name.startsWith(root) ? file.name.slice(root.length).replace(/^\/+/, '') : file.name;
    const results = file.assertionResults ?? [];
    if (results.length === 0 && file.status === 'failed') {
      summary.brokenFiles.push({ file: name, reason: firstLine(file.message ?? '') });
    }
    for (const result of results) {
      summary.total += 1;
      if (result.status === 'passed') summary.passed += 1;
      else if (result.status === 'failed') {
        summary.failed += 1;
        const test = result.fullName ?? [...(result.ancestorTitles ?? []), result.title ?? ''].join(' ');
        summary.failures.push({ file: name, test, reason: firstLine(result.failureMessages?.[0] ?? '') });
      } else summary.skipped += 1;
    }
  }
  return summary;
}
