import { describe, expect, it } from 'vitest';
import { type CheckOutcome, formatDifferenceReport } from './difference-report';

const passed = (name: string): CheckOutcome => ({
  file: 'a.test.ts',
  name,
  state: 'passed',
  errors: [],
  requests: [],
});

describe('formatDifferenceReport', () => {
  it('lists each failing check of an external run as expected (local Logto) vs got, with its last calls', () => {
    const report = formatDifferenceReport(
      [
        passed('one'),
        {
          file: 'emulator/contract/organizations.test.ts',
          name: 'DELETE /organizations/:id › answers an unknown id with 404 entity.not_found',
          state: 'failed',
          errors: [
            {
              message: 'expected { code: … } to deeply equal { code: … }',
              expected: '{\n  "code": "entity.not_found",\n  "message": "The resource does not exist."\n}',
              actual: '{\n  "code": "entity.not_exists_with_id"\n}',
            },
          ],
          requests: ['DELETE /api/organizations/unknown-org → 404 entity.not_exists_with_id'],
        },
        {
          file: 'emulator/contract/seed.test.ts',
          name: 'organizations › has 43 organizations',
          state: 'skipped',
          errors: [],
          requests: [],
          note: 'local Logto only: checks facts of the local seed',
        },
      ],
      { target: 'https://tenant.logto.app', isExternal: true },
    );
    expect(report.split('\n')).toEqual([
      'Contract suite against https://tenant.logto.app: 1 checks agree with the local Logto, 1 differ, 1 skipped.',
      '',
      'Differences from the local Logto:',
      '  1. emulator/contract/organizations.test.ts › DELETE /organizations/:id › answers an unknown id with 404 entity.not_found',
      '       expected (local Logto): { "code": "entity.not_found", "message": "The resource does not exist." }',
      '       got (this Logto):       { "code": "entity.not_exists_with_id" }',
      '       last calls: DELETE /api/organizations/unknown-org → 404 entity.not_exists_with_id',
      '',
      'Skipped:',
      '  1 × local Logto only: checks facts of the local seed',
    ]);
  });

  it('shows the first line of errors without expected/actual, and counts skips by reason', () => {
    const skipped = (note: string): CheckOutcome => ({ ...passed('s'), state: 'skipped', note });
    const report = formatDifferenceReport(
      [
        {
          ...passed('hook'),
          name: '(file hooks)',
          state: 'failed',
          errors: [{ message: 'Cleaning up failed: x\nstack' }],
        },
        skipped('local Logto only: reads the local outbox'),
        skipped('local Logto only: reads the local outbox'),
        skipped('local Logto only: checks facts of the local seed'),
      ],
      { target: 'the local Logto', isExternal: false },
    );
    expect(report.split('\n')).toEqual([
      'Contract suite against the local Logto: 0 checks pass, 1 fail, 3 skipped.',
      '',
      'Failing checks:',
      '  1. a.test.ts › (file hooks)',
      '       Cleaning up failed: x',
      '',
      'Skipped:',
      '  2 × local Logto only: reads the local outbox',
      '  1 × local Logto only: checks facts of the local seed',
    ]);
  });

  it('shortens long values to one line of at most 400 characters', () => {
    const report = formatDifferenceReport(
      [
        {
          ...passed('long'),
          state: 'failed',
          errors: [{ message: 'm', expected: 'x'.repeat(1000), actual: 'y' }],
        },
      ],
      { target: 'X', isExternal: true },
    );
    const expectedLine = report.split('\n').find((line) => line.includes('expected (local Logto)')) ?? '';
    expect(expectedLine.length).toBeLessThan(450);
    expect(expectedLine.endsWith('…')).toBe(true);
  });
});
