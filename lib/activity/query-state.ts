/**
 * The activity table's URL state (`?page=&page_size=&who=&action=&q=&from=&to=&tz=`), parsed the
 * same way on the server and in the browser. Like the other tables it never fails: garbage falls
 * back to defaults, and defaults are left out of the URL.
 */
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_QUERY_LENGTH, PAGE_SIZES, type PageSize } from '@/lib/table-state';
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
type RawParam = string | string[] | null | undefined;

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
// Logto's ids are 12–21 characters of 0-9a-z.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_ZONE = /^[A-Za-z0-9_+\-/]{1,64}$/;

function first(value: RawParam): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  return typeof raw === 'string' ? raw : undefined;
}

function parsePositive(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return Number.NaN;
  return Number(raw);
}

function parsePageSize(raw: string | undefined): PageSize {
  const value = parsePositive(raw);
  if (!Number.isFinite(value) || value <= 0) return DEFAULT_PAGE_SIZE;
  let best: PageSize = PAGE_SIZES[0];
  for (const size of PAGE_SIZES) if (Math.abs(size - value) < Math.abs(best - value)) best = size;
  return best;
}

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
export function parseActivityState(
  params: URLSearchParams | Record<string, RawParam> | null | undefined,
): ActivityTableState {
  const record: Record<string, string | undefined> = {};
  for (const key of KEYS) {
    record[key] = params instanceof URLSearchParams ? (params.get(key) ?? undefined) : first(params?.[key]);
  }
  const page = parsePositive(record.page);
  const state: ActivityTableState = {
    page: Number.isFinite(page) && page >= 1 ? Math.min(Math.floor(page), MAX_PAGE) : 1,
    pageSize: parsePageSize(record.page_size),
    q: (record.q ?? '').replace(CONTROL_CHARACTERS, '').trim().slice(0, MAX_QUERY_LENGTH),
  };
  const who = record.who?.trim();
  if (who && ID.test(who)) state.who = who;
  const action = record.action?.trim();
  if (action && isKnownActivityAction(action)) state.action = action;
  let from = parseDay(record.from);
  let to = parseDay(record.to);
  // A range typed backwards means the same days.
  if (from && to && from > to) [from, to] = [to, from];
  if (from) state.from = from;
  if (to) state.to = to;
  const tz = parseTimeZone(record.tz);
  if (tz && (from || to) && tz !== 'UTC') state.tz = tz;
  return state;
}

/** Search params for a state, defaults left out. */
export function activityStateToSearchParams(state: ActivityTableState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.page > 1) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set('page_size', String(state.pageSize));
  if (state.who) params.set('who', state.who);
  if (state.action) params.set('action', state.action);
  if (state.q) params.set('q', state.q);
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.tz && (state.from || state.to)) params.set('tz', state.tz);
  return params;
}

/** `pathname` plus the state's query string. */
export function buildActivityHref(pathname: string, state: ActivityTableState): string {
  const query = activityStateToSearchParams(state).toString();
  return query ? `${pathname}?${query}` : pathname;
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
