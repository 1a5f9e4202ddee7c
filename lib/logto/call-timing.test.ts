import { describe, expect, it } from 'vitest';
import { logtoCallsOf, readServerTiming } from '../../test/server-timing';
import { recordLogtoCall, serverTimingHeader, timeLogtoCalls } from './call-timing';

describe('timeLogtoCalls', () => {
  it('adds up the calls recorded inside the task, and nothing recorded outside it', async () => {
    recordLogtoCall(5, 5);
    const { value, timing } = await timeLogtoCalls(async () => {
      recordLogtoCall(1, 10);
      await Promise.resolve();
      recordLogtoCall(2, 20.5);
      return 'done';
    });
    expect(value).toBe('done');
    expect(timing).toEqual({ calls: 2, waitMs: 3, answerMs: 30.5 });
  });

  it('hands back a copy: a call that ends after the timing was read does not change it', async () => {
    let recordLate = () => {};
    const { timing } = await timeLogtoCalls(async () => {
      recordLate = () => recordLogtoCall(0, 1);
    });
    recordLate();
    expect(timing.calls).toBe(0);
  });
});

describe('serverTimingHeader', () => {
  it('names Logto, the budget wait and the whole request, one decimal each', () => {
    expect(serverTimingHeader({ calls: 1, answerMs: 8.26, waitMs: 0 }, 12.04)).toBe(
      'logto;dur=8.3;desc="Logto answers, 1 call", ' +
        'budget;dur=0.0;desc="Waiting for request budget and token", ' +
        'total;dur=12.0;desc="Whole request"',
    );
    expect(serverTimingHeader({ calls: 0, answerMs: 0, waitMs: 0 }, 1)).toContain('"Logto answers, 0 calls"');
  });

  it('reads back as written, commas inside descriptions included', () => {
    const metrics = readServerTiming(serverTimingHeader({ calls: 2, answerMs: 8.26, waitMs: 1.5 }, 12.04));
    expect([...metrics.entries()]).toEqual([
      ['logto', { durMs: 8.3, description: 'Logto answers, 2 calls' }],
      ['budget', { durMs: 1.5, description: 'Waiting for request budget and token' }],
      ['total', { durMs: 12, description: 'Whole request' }],
    ]);
    expect(logtoCallsOf(metrics)).toBe(2);
    expect(readServerTiming(null).size).toBe(0);
  });
});
