/**
 * The activity table's URL state (`?page=&page_size=&who=&action=&q=&from=&to=&tz=`), parsed the
 * same way on the server and in the browser. Like the other tables it never fails: garbage falls
 * back to defaults, and defaults are left out of the URL.
 */
import {
  DEFAULT_PAGE_SIZE,
  firstString,
  hrefWithSearchParams,
  pagedSearchParams,
  type PageSize,
  parsePagedState,
  readSearchParams,
  type SearchParamsInput,
  type TableStateCodec,
} from '@/lib/table-state';
import { isKnownActivityAction, type KnownActivityAction } from './kinds';

export type ActivityTableState = {
  page: number;
  pageSize: PageSize;
  /** Who: the actor's user id. */
  who?: string;
  /** What: one of the known action kinds. */
  action?: KnownActivityAction;
  /** Target text: part of the member's or invitee's email, or an exact id. */
  q: string;
  /** First day shown, `YYYY-MM-DD`, in `tz`. */
  from?: string;
  /** Last day shown (inclusive), `YYYY-MM-DD`, in `tz`. */
  to?: string;
  /** The IANA time zone the days are in (the browser's when the range was picked); default UTC. */
  tz?: string;
};

export const DEFAULT_ACTIVITY_STATE: ActivityTableState = { page: 1, pageSize: DEFAULT_PAGE_SIZE, q: '' };

const KEYS = ['page', 'page_size', 'who', 'action', 'q', 'from', 'to', 'tz'] as const;

// Logto's ids are 12–21 characters of 0-9a-z.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_ZONE = /^[A-Za-z0-9_+\-/]{1,64}$/;

/** A real calendar day `YYYY-MM-DD` (years 1970–9999), else undefined. */
export function parseDay(raw: string | undefined): string | undefined {
  const match = raw?.trim().match(DAY);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const isReal =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isReal && year >= 1970 ? match[0] : undefined;
}

/** An IANA time zone this runtime knows (`Asia/Seoul`), else undefined. */
export function parseTimeZone(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value || !TIME_ZONE.test(value)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Parses the activity table's state from Next's `searchParams` or a `URLSearchParams`. */
export function parseActivityState(params: SearchParamsInput): ActivityTableState {
  const record = readSearchParams(params, KEYS);
  const state: ActivityTableState = parsePagedState(record);
  const who = firstString(record.who)?.trim();
  if (who && ID.test(who)) state.who = who;
  const action = firstString(record.action)?.trim();
  if (action && isKnownActivityAction(action)) state.action = action;
  let from = parseDay(firstString(record.from));
  let to = parseDay(firstString(record.to));
  // A range typed backwards means the same days.
  if (from && to && from > to) [from, to] = [to, from];
  if (from) state.from = from;
  if (to) state.to = to;
  const tz = parseTimeZone(firstString(record.tz));
  if (tz && (from || to) && tz !== 'UTC') state.tz = tz;
  return state;
}

/** Search params for a state, defaults left out. */
export function activityStateToSearchParams(state: ActivityTableState): URLSearchParams {
  const { who, action, q, from, to } = state;
  return pagedSearchParams(state, { who, action, q, from, to, tz: from || to ? state.tz : undefined });
}

/** `pathname` plus the state's query string. */
export function buildActivityHref(pathname: string, state: ActivityTableState): string {
  return hrefWithSearchParams(pathname, activityStateToSearchParams(state));
}

/**
 * Applies a change the way tables expect: any new filter or page size starts again at page 1;
 * empty values are dropped; the state is parsed again so a patch can never hold garbage.
 */
export function updateActivityState(
  state: ActivityTableState,
  patch: Partial<ActivityTableState>,
): ActivityTableState {
  const merged = { ...state, ...patch };
  const isNewFilter = (['pageSize', 'who', 'action', 'q', 'from', 'to'] as const).some(
    (key) => key in patch && patch[key] !== state[key],
  );
  if (isNewFilter && patch.page === undefined) merged.page = 1;
  return parseActivityState(activityStateToSearchParams(merged));
}

/** The activity table's URL state for the shared table hooks. */
export const ACTIVITY_STATE_CODEC: TableStateCodec<ActivityTableState> = {
  fields: ['page', 'pageSize', 'who', 'action', 'q', 'from', 'to', 'tz'],
  parse: parseActivityState,
  update: updateActivityState,
  toSearchParams: activityStateToSearchParams,
};

/** Whether any filter narrows the log ("nothing matches" rather than "nothing yet"). */
export function isActivityFiltered(state: ActivityTableState): boolean {
  return Boolean(state.who || state.action || state.q || state.from || state.to);
}

/** The offset of `timeZone` from UTC at `instant`, in ms (Seoul: +9 h). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wallClock = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wallClock - Math.floor(instant / 1000) * 1000;
}

/** The moment a day (`YYYY-MM-DD`) starts in a time zone; `addDays` moves the day first. */
export function startOfDay(day: string, timeZone = 'UTC', addDays = 0): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const wallMidnight = Date.UTC(year, month - 1, date + addDays);
  // Two rounds settle the offset even when the day starts at a daylight-saving change.
  const guess = wallMidnight - zoneOffsetMs(wallMidnight, timeZone);
  return new Date(wallMidnight - zoneOffsetMs(guess, timeZone));
}

/**
 * The moments a state's days cover: `from` at the start of its day, `to` at the start of the
 * day after (exclusive), both in the state's time zone.
 */
export function activityTimeRange(state: ActivityTableState): { from?: Date; to?: Date } {
  const timeZone = state.tz ?? 'UTC';
  return {
    ...(state.from && { from: startOfDay(state.from, timeZone) }),
    ...(state.to && { to: startOfDay(state.to, timeZone, 1) }),
  };
}
