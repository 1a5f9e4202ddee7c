import { describe, expect, it } from 'vitest';
import { countsPerInterval, maxInWindow, mean, medianOrNull, percentile, round, slope } from './stats';

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses empty samples and out-of-range percentiles', () => {
    expect(() => percentile([], 50)).toThrow(/empty/);
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
  });
});

describe('medianOrNull', () => {
  it('gives the median to one decimal, and null for no samples', () => {
    expect(medianOrNull([3, 1.04, 2.26])).toBe(2.3);
    expect(medianOrNull([])).toBeNull();
  });
});

describe('slope', () => {
  it('fits a straight line through paired samples', () => {
    expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2);
    expect(slope([0, 1, 2, 3], [5, 5, 5, 5])).toBe(0);
  });

  it('needs two distinct times', () => {
    expect(() => slope([1], [1])).toThrow();
    expect(() => slope([1, 1], [1, 2])).toThrow(/different times/);
  });
});

describe('mean and round', () => {
  it('average and report rounding', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(2.5, 0)).toBe(3);
  });
});

describe('maxInWindow', () => {
  it('counts what a sliding-window limiter counts: (t − window, t]', () => {
    // One event every 10 ms from 10 to 1000: any 100 ms window ending on one holds 10.
    const steady = Array.from({ length: 100 }, (_, index) => [(index + 1) * 10, 1] as const);
    expect(maxInWindow(steady, 100)).toEqual({ max: 10, endsAtMs: 100 });
    expect(maxInWindow(steady, 101)).toEqual({ max: 11, endsAtMs: 110 });
  });

  it('weighs events and finds the busiest burst', () => {
    const grants = [
      [0, 5],
      [50, 10],
      [60, 30],
      [500, 30],
      [510, 1],
    ] as const;
    expect(maxInWindow(grants, 100)).toEqual({ max: 45, endsAtMs: 60 });
    expect(maxInWindow(grants, 1000)).toEqual({ max: 76, endsAtMs: 510 });
    expect(maxInWindow([], 100)).toEqual({ max: 0, endsAtMs: 0 });
  });
});

describe('countsPerInterval', () => {
  it('sums the weights per interval, empty intervals included', () => {
    const events = [
      [0, 1],
      [400, 2],
      [999.9, 2],
      [2100, 4],
    ] as const;
    expect(countsPerInterval(events, 1000)).toEqual([5, 0, 4]);
    expect(countsPerInterval([], 1000)).toEqual([]);
  });
});
