import { describe, expect, it } from 'vitest';
import { type Measurement, RESULT_KEYS, renderMarkdownTable, type ResultKey, toResultsJson } from './report';

function allMeasured(value: number): Record<ResultKey, Measurement> {
  return Object.fromEntries(RESULT_KEYS.map((key) => [key, { value }])) as Record<ResultKey, Measurement>;
}

describe('results.json', () => {
  it('holds exactly the issue’s keys, a number or null each', () => {
    const measurements = allMeasured(1);
    measurements.bulkInviteRefused = { value: null, reason: 'the invite action is missing' };
    const json = toResultsJson(measurements);
    expect(Object.keys(json)).toEqual([...RESULT_KEYS]);
    expect(json.bulkInviteRefused).toBeNull();
    expect(json.loadRps).toBe(1);
  });
});

describe('the Markdown table', () => {
  it('judges each figure against its target and says why a figure is missing', () => {
    const measurements = allMeasured(0);
    measurements.apiCallsPerViewWarm = { value: 3 };
    measurements.overheadP50 = { value: 1.1 };
    measurements.flipColdP50Ms = { value: null, reason: 'the page flips phase failed: boom' };
    measurements.load3MaxPerWindow = { value: 201 };
    measurements.serverRssPgliteMb = { value: 445.9 };
    const table = renderMarkdownTable(measurements, { memoryGrowthMb: false });
    const row = (key: string) => table.split('\n').find((line) => line.includes(`\`${key}\``));

    expect(row('apiCallsPerViewWarm')).toContain('| 3 calls | ≤ 2 | **missed** |');
    expect(row('overheadP50')).toContain('| 1.10 × | ≤ 1.40 | met |');
    expect(row('loadRps')).toContain('| info |');
    expect(row('memoryGrowthMb')).toContain('**missed**');
    expect(row('load3MaxPerWindow')).toContain('| 201 requests | ≤ 200 (the budget) | **missed** |');
    expect(row('load3LogtoRefused')).toContain('| 0 requests | 0 | met |');
    expect(row('serverRssPgliteMb')).toContain('| 445.90 MB | — | info |');
    expect(row('flipColdP50Ms')).toContain('| not measured |');
    expect(table).toContain('- `flipColdP50Ms`: not measured: the page flips phase failed: boom');
    expect(
      table.split('\n').filter((line) => line.startsWith('| ')).length,
      'header, separator, one row per key',
    ).toBe(RESULT_KEYS.length + 2);
  });
});
