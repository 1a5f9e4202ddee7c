/**
 * Turns the results of a contract run into the report `npm run test:contract` prints: on an
 * external run, each failing check is a way that tenant differs from the local Logto (whose
 * behaviour the suite encodes), shown as expected-vs-got with the calls that led to it.
 */

/** One check of the suite, as the reporter saw it. */
export type CheckOutcome = {
  /** Test file, relative to the project. */
  file: string;
  /** Suite and test names joined with " › ". */
  name: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  errors: Array<{ message: string; expected?: string; actual?: string }>;
  /** The last Management API calls of the check ("GET /api/x → 404 entity.not_found"). */
  requests: string[];
  /** Why a skipped check did not run (e.g. "local Logto only: reads the local outbox"). */
  note?: string;
};

const MAX_VALUE_LENGTH = 400;

/** Builds the report; `target` names the Logto (its endpoint, or "the local Logto"). */
export function formatDifferenceReport(
  outcomes: CheckOutcome[],
  o: { target: string; isExternal: boolean },
): string {
  const failed = outcomes.filter((outcome) => outcome.state === 'failed');
  const passed = outcomes.filter((outcome) => outcome.state === 'passed');
  const skipped = outcomes.filter((outcome) => outcome.state === 'skipped');
  const lines: string[] = [];

  if (o.isExternal) {
    lines.push(
      `Contract suite against ${o.target}: ${passed.length} checks agree with the local Logto, ` +
        `${failed.length} differ, ${skipped.length} skipped.`,
    );
  } else {
    lines.push(
      `Contract suite against ${o.target}: ${passed.length} checks pass, ${failed.length} fail, ${skipped.length} skipped.`,
    );
  }

  if (failed.length > 0) {
    lines.push('', o.isExternal ? 'Differences from the local Logto:' : 'Failing checks:');
    failed.forEach((outcome, index) => {
      lines.push(`  ${index + 1}. ${outcome.file} › ${outcome.name}`);
      for (const error of outcome.errors.slice(0, 1)) {
        if (error.expected !== undefined || error.actual !== undefined) {
          const [expectedLabel, gotLabel] = o.isExternal
            ? ['expected (local Logto):', 'got (this Logto):']
            : ['expected:', 'got:'];
          const width = expectedLabel.length + 1;
          lines.push(`       ${expectedLabel.padEnd(width)}${compact(error.expected)}`);
          lines.push(`       ${gotLabel.padEnd(width)}${compact(error.actual)}`);
        } else {
          lines.push(`       ${compact(error.message.split('\n')[0])}`);
        }
      }
      if (outcome.requests.length > 0) {
        lines.push(`       last calls: ${outcome.requests.join('; ')}`);
      }
    });
  }

  const notes = new Map<string, number>();
  for (const outcome of skipped) {
    const note = outcome.note ?? 'skipped';
    notes.set(note, (notes.get(note) ?? 0) + 1);
  }
  if (notes.size > 0) {
    lines.push('', 'Skipped:');
    for (const [note, count] of [...notes].sort((a, b) => b[1] - a[1])) {
      lines.push(`  ${count} × ${note}`);
    }
  }
  return lines.join('\n');
}

/** One line, at most {@link MAX_VALUE_LENGTH} characters. */
function compact(value: string | undefined): string {
  if (value === undefined) return '(nothing)';
  const line = value
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > MAX_VALUE_LENGTH ? `${line.slice(0, MAX_VALUE_LENGTH - 1)}…` : line;
}
