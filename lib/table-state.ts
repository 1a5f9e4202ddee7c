/** Page sizes a table offers; 100 is also Logto's own maximum `page_size`. */
export const PAGE_SIZES = [10, 20, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** Logto's default `page_size`; used whenever the URL gives none or garbage. */
export const DEFAULT_PAGE_SIZE: PageSize = 20;
export const MAX_QUERY_LENGTH = 200;
const MAX_FILTER_LENGTH = 128;

/** The table state every list page reads from its URL. Defaults are never written back to it. */
export type TableState = {
  page: number;
  pageSize: PageSize;
  q: string;
  role?: string;
  status?: string;
};

export const DEFAULT_TABLE_STATE: TableState = { page: 1, pageSize: DEFAULT_PAGE_SIZE, q: '' };

/** What the URL state of every paged table holds, whatever its filters. */
export type PagedTableState = Pick<TableState, 'page' | 'pageSize' | 'q'>;

type RawParam = string | string[] | null | undefined;
/** Next's `searchParams` object or a `URLSearchParams`. */
export type SearchParamsInput = URLSearchParams | Record<string, RawParam> | null | undefined;

/** A repeated key (`?page=1&page=2`) counts as its first value, like a browser form would send. */
function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function toNumber(value: unknown): number {
  const raw = firstValue(value);
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string' || raw.trim() === '') return Number.NaN;
  return Number(raw);
}

// Past this, offsets overflow what Logto's database accepts; real tables end long before it.
export const MAX_PAGE = 1_000_000;
// Control characters (NUL above all) make Postgres refuse the query; nobody types them on purpose.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

function nearestPageSize(value: number): PageSize {
  // Ties go to the smaller size: a page that loads faster is the safer guess.
  let best: PageSize = PAGE_SIZES[0];
  for (const size of PAGE_SIZES) {
    if (Math.abs(size - value) < Math.abs(best - value)) best = size;
  }
  return best;
}

function parsePage(raw: unknown): number {
  const value = toNumber(raw);
  return Number.isFinite(value) && value >= 1 ? Math.min(Math.floor(value), MAX_PAGE) : 1;
}

function parsePageSize(raw: unknown): PageSize {
  const value = toNumber(raw);
  return Number.isFinite(value) && value > 0 ? nearestPageSize(value) : DEFAULT_PAGE_SIZE;
}

function parseQuery(raw: unknown): string {
  const value = firstValue(raw);
  return typeof value === 'string'
    ? value.replace(CONTROL_CHARACTERS, '').trim().slice(0, MAX_QUERY_LENGTH)
    : '';
}

/** The first value of a parameter when it is a string (`?a=1&a=2` reads as `1`). */
export function firstString(raw: unknown): string | undefined {
  const value = firstValue(raw);
  return typeof value === 'string' ? value : undefined;
}

/** The named keys of Next's `searchParams` object or a `URLSearchParams`, repeated keys kept. */
export function readSearchParams(
  params: SearchParamsInput,
  keys: readonly string[],
): Record<string, RawParam> {
  const record: Record<string, RawParam> = {};
  if (params instanceof URLSearchParams) {
    for (const key of keys) {
      const values = params.getAll(key);
      if (values.length > 0) record[key] = values;
    }
  } else if (params) {
    Object.assign(record, params);
  }
  return record;
}

/** `page`, `page_size` and `q`, read the same way by every table; garbage gives the defaults. */
export function parsePagedState(record: Record<string, RawParam>): PagedTableState {
  return { page: parsePage(record.page), pageSize: parsePageSize(record.page_size), q: parseQuery(record.q) };
}

function parseFilter(raw: unknown): string | undefined {
  const value = firstValue(raw);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(CONTROL_CHARACTERS, '').trim();
  return trimmed === '' || trimmed.length > MAX_FILTER_LENGTH ? undefined : trimmed;
}

/**
 * Parses `?page=&page_size=&q=&role=&status=` from Next's `searchParams` object or a
 * `URLSearchParams`. It never fails: out-of-range or garbage values fall back to defaults,
 * because a hand-edited URL must not become an error page. Page "past the end" cannot be known
 * here; see {@link clampPage}. Plain code rather than a schema library: this runs in the
 * browser on every table, and a schema library would be most of the page's own JavaScript.
 */
export function parseTableState(params: SearchParamsInput): TableState {
  const record = readSearchParams(params, ['page', 'page_size', 'q', 'role', 'status']);
  const state: TableState = parsePagedState(record);
  const role = parseFilter(record.role);
  const status = parseFilter(record.status);
  if (role !== undefined) state.role = role;
  if (status !== undefined) state.status = status;
  return state;
}

/** Number of pages for a total (`ceil(total / pageSize)`), at least 1 so an empty table has a page. */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Moves a page that lies past the end to the last page once the total is known. */
export function clampPage(state: TableState, total: number): TableState {
  const last = pageCount(total, state.pageSize);
  return state.page > last ? { ...state, page: last } : state;
}

/**
 * Applies a change the way tables expect: a new search, filter or page size starts again at
 * page 1, because the old page number means nothing under a different result set.
 */
export function updateTableState(state: TableState, patch: Partial<TableState>): TableState {
  const next: TableState = { ...state, ...patch };
  const resetsPage =
    (patch.q !== undefined && patch.q !== state.q) ||
    (patch.pageSize !== undefined && patch.pageSize !== state.pageSize) ||
    ('role' in patch && patch.role !== state.role) ||
    ('status' in patch && patch.status !== state.status);
  if (resetsPage && patch.page === undefined) next.page = 1;
  if (next.role === undefined || next.role === '') delete next.role;
  if (next.status === undefined || next.status === '') delete next.status;
  next.q = next.q.replace(CONTROL_CHARACTERS, '').trim().slice(0, MAX_QUERY_LENGTH);
  return next;
}

/**
 * Search params for a paged table: `page` and `page_size` unless they are the defaults, then each
 * of `filters` that is set, in the order given. Defaults stay out so URLs stay short and canonical.
 */
export function pagedSearchParams(
  state: PagedTableState,
  filters: Record<string, string | undefined>,
): URLSearchParams {
  const params = new URLSearchParams();
  if (state.page > 1) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set('page_size', String(state.pageSize));
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params;
}

/** Search params for a state, leaving every default out so URLs stay short and canonical. */
export function tableStateToSearchParams(state: TableState): URLSearchParams {
  return pagedSearchParams(state, { q: state.q, role: state.role, status: state.status });
}

/** `pathname` plus a query string (no `?` when there is none). */
export function hrefWithSearchParams(pathname: string, params: URLSearchParams): string {
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/** `pathname` plus the state's query string (no `?` when every value is a default). */
export function buildTableHref(pathname: string, state: TableState): string {
  return hrefWithSearchParams(pathname, tableStateToSearchParams(state));
}

/** Whether the state narrows the result set, which decides "nothing yet" vs "nothing matches". */
export function isFiltered(state: TableState): boolean {
  return state.q !== '' || state.role !== undefined || state.status !== undefined;
}

/**
 * How a table keeps its state in the URL, for the shared hooks in `components/data-table`. The
 * members and invitations tables use {@link TABLE_STATE_CODEC}; a table with other filters brings
 * its own (the activity log's is in `lib/activity/query-state`).
 */
export type TableStateCodec<TState extends PagedTableState> = {
  /** Every field of the state, in the order query keys list them (unset ones as `null`). */
  fields: readonly (keyof TState & string)[];
  /** Reads the state from the URL; never fails. */
  parse: (params: URLSearchParams) => TState;
  /** Applies a change, starting again at page 1 when the result set changes. */
  update: (state: TState, patch: Partial<TState>) => TState;
  /** The state's search params, defaults left out. */
  toSearchParams: (state: TState) => URLSearchParams;
};

/** `?page=&page_size=&q=&role=&status=`, the URL state of most tables. */
export const TABLE_STATE_CODEC: TableStateCodec<TableState> = {
  fields: ['page', 'pageSize', 'q', 'role', 'status'],
  parse: parseTableState,
  update: updateTableState,
  toSearchParams: tableStateToSearchParams,
};
