import { describe, expect, it } from 'vitest';
import {
  activityStateToSearchParams,
  activityTimeRange,
  buildActivityHref,
  isActivityFiltered,
  parseActivityState,
  startOfDay,
  updateActivityState,
} from './query-state';

const parse = (query: string) => parseActivityState(new URLSearchParams(query));

describe('parseActivityState', () => {
  it('reads every filter from the URL', () => {
    expect(
      parse(
        'page=3&page_size=50&who=u1abc&action=member.role_change&q=carol&from=2025-03-01&to=2025-03-31&tz=Asia/Seoul',
      ),
    ).toEqual({
      page: 3,
      pageSize: 50,
      who: 'u1abc',
      action: 'member.role_change',
      q: 'carol',
      from: '2025-03-01',
      to: '2025-03-31',
      tz: 'Asia/Seoul',
    });
  });

  it('falls back to defaults for garbage instead of failing', () => {
    expect(
      parse(
        'page=-4&page_size=abc&who=%3Cscript%3E&action=member.delete&from=2025-02-30&to=yesterday&tz=Mars/Base',
      ),
    ).toEqual({
      page: 1,
      pageSize: 20,
      q: '',
    });
    expect(parse('page_size=1000').pageSize).toBe(100);
  });

  it('takes the first of repeated keys, as Next hands them over', () => {
    expect(parseActivityState({ page: ['2', '5'], action: ['invitation.create'] })).toMatchObject({
      page: 2,
      action: 'invitation.create',
    });
  });

  it('reads a backwards range as the same days, and drops a time zone without days', () => {
    expect(parse('from=2025-04-10&to=2025-04-01')).toMatchObject({ from: '2025-04-01', to: '2025-04-10' });
    expect(parse('tz=Asia/Tokyo').tz).toBeUndefined();
    expect(parse('from=2025-04-01&tz=UTC').tz).toBeUndefined();
  });

  it('strips control characters from the target text', () => {
    expect(parse('q=%00carol%07').q).toBe('carol');
  });
});

describe('URLs', () => {
  it('leave defaults out and round-trip', () => {
    expect(buildActivityHref('/orgs/o1/activity', parse(''))).toBe('/orgs/o1/activity');
    const state = parse('page=2&who=u1&action=member.remove&q=a%40b.example&from=2025-01-01&tz=Asia/Seoul');
    expect(parseActivityState(activityStateToSearchParams(state))).toEqual(state);
  });

  it('start again at page 1 when a filter changes, not when only the page does', () => {
    const state = parse('page=4');
    expect(updateActivityState(state, { action: 'member.add' }).page).toBe(1);
    expect(updateActivityState(state, { page: 5 }).page).toBe(5);
    expect(updateActivityState(parse('page=4&who=u1'), { who: undefined })).toEqual(parse(''));
  });

  it('tell filtered views from the whole log', () => {
    expect(isActivityFiltered(parse('page=3'))).toBe(false);
    expect(isActivityFiltered(parse('to=2025-01-01'))).toBe(true);
  });
});

describe('days in a time zone', () => {
  it('start at local midnight', () => {
    expect(startOfDay('2025-03-01').toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(startOfDay('2025-03-01', 'Asia/Seoul').toISOString()).toBe('2025-02-28T15:00:00.000Z');
    expect(startOfDay('2025-03-01', 'America/New_York').toISOString()).toBe('2025-03-01T05:00:00.000Z');
  });

  it('handle a day that starts at a daylight-saving change', () => {
    // New York moved to daylight time at 02:00 on 9 March 2025; the day still began at 00:00 EST.
    expect(startOfDay('2025-03-09', 'America/New_York').toISOString()).toBe('2025-03-09T05:00:00.000Z');
    expect(startOfDay('2025-03-10', 'America/New_York').toISOString()).toBe('2025-03-10T04:00:00.000Z');
  });

  it('cover the last day whole: `to` is the start of the next day', () => {
    const range = activityTimeRange(parse('from=2025-03-01&to=2025-03-31&tz=Asia/Tokyo'));
    expect(range.from?.toISOString()).toBe('2025-02-28T15:00:00.000Z');
    expect(range.to?.toISOString()).toBe('2025-03-31T15:00:00.000Z');
    expect(activityTimeRange(parse(''))).toEqual({});
  });
});
