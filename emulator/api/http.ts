import type { Router, RouterContext } from '@koa/router';
import type Koa from 'koa';
import type { z } from 'zod';
import type { Database } from '../db';
import { guardError, RequestError } from './errors';

/** What E-core's `authenticate` middleware leaves on `ctx.state`. */
export type ApiState = { auth?: { sub: string; clientId: string; scopes: string[] } };

/** The context every Management API handler receives. */
export type ApiContext = RouterContext<ApiState>;

/** koa-body 8's default JSON limit, as Logto uses it. */
const JSON_BODY_LIMIT_BYTES = 1024 * 1024;
const JSON_CONTENT_TYPES = [
  'application/json',
  'application/json-patch+json',
  'application/vnd.api+json',
  'application/csp-report',
  'application/scim+json',
];

/**
 * An HTTP error Logto's error handler swallows without writing a response, which leaves Koa's
 * default `404 Not Found` (what real Logto answers to an oversized or non-object JSON body).
 */
export class SwallowedHttpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SwallowedHttpError';
  }
}

/** koa-body 8's default form limit. */
const FORM_BODY_LIMIT_BYTES = 56 * 1024;

async function readRawBody(ctx: Koa.Context, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > limit) throw new SwallowedHttpError('request entity too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads the request body as koa-body 8 does for Logto's guarded routes: JSON content types
 * strictly (objects and arrays only; a scalar is co-body's `SyntaxError`, like malformed JSON,
 * which the error middleware answers with `400 {message}`), 1 MB at most; a form-urlencoded
 * body parsed into an object (56 kB at most; a repeated key gives an array); anything else `{}`.
 */
export async function readJsonBody(ctx: Koa.Context): Promise<unknown> {
  if (ctx.request.is('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(await readRawBody(ctx, FORM_BODY_LIMIT_BYTES));
    const body: Record<string, string | string[]> = {};
    for (const key of new Set(form.keys())) {
      const values = form.getAll(key);
      body[key] = values.length === 1 ? (values[0] ?? '') : values;
    }
    return body;
  }
  if (!ctx.request.is(JSON_CONTENT_TYPES)) return {};
  const text = await readRawBody(ctx, JSON_BODY_LIMIT_BYTES);
  if (text.trim() === '') return {};
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') throw new SyntaxError('invalid JSON, only supports object and array');
  return JSON.parse(text) as unknown;
}

/**
 * Validates a request the way Logto's `koaGuard` does: query, then body, then params; the first
 * failure answers `400 guard.invalid_input`. Unknown keys are dropped (zod's default strip).
 */
export async function guard<
  Query extends z.ZodType = z.ZodUndefined,
  Body extends z.ZodType = z.ZodUndefined,
>(
  ctx: ApiContext,
  schemas: { query?: Query; body?: Body },
): Promise<{ query: z.output<Query>; body: z.output<Body> }> {
  const query = schemas.query ? parseOrThrow('query', schemas.query, ctx.request.query) : undefined;
  const body = schemas.body ? parseOrThrow('body', schemas.body, await readJsonBody(ctx)) : undefined;
  return { query: query as z.output<Query>, body: body as z.output<Body> };
}

function parseOrThrow<Schema extends z.ZodType>(
  type: 'query' | 'body',
  schema: Schema,
  data: unknown,
): z.output<Schema> {
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) throw guardError(type, result.error);
  return result.data;
}

/** A page request: `limit`/`offset` for SQL plus what the `Link` header needs. */
export type Page = { limit: number; offset: number; page: number };

/**
 * Parses `page` / `page_size` as Logto's `koaPagination` does (defaults 1 and 20, max 100, no
 * clamping).
 * Fractional values, which Logto lets through to the database, are refused here.
 */
export function parsePagination(ctx: Koa.Context): Page {
  const { page: rawPage, page_size: rawPageSize } = ctx.request.query;
  const page = rawPage ? Number(rawPage) : 1;
  const pageSize = rawPageSize ? Number(rawPageSize) : 20;
  const isValid = (value: number, max = Number.POSITIVE_INFINITY) =>
    Number.isInteger(value) && value > 0 && value <= max;
  if (!isValid(page) || !isValid(pageSize, 100)) {
    throw new RequestError({ code: 'guard.invalid_pagination', status: 400 });
  }
  return { limit: pageSize, offset: (page - 1) * pageSize, page };
}

/** {@link parsePagination} for routes where pagination is optional: both absent → `undefined`. */
export function parseOptionalPagination(ctx: Koa.Context): Page | undefined {
  const { page: rawPage, page_size: rawPageSize } = ctx.request.query;
  return !rawPage && !rawPageSize ? undefined : parsePagination(ctx);
}

/**
 * Sets `Total-Number` and the `Link` lines (first, prev?, last, next?) of a paginated answer.
 * The link path is `ctx.path`, which under koa-mount lacks `/api`, exactly like real Logto.
 */
export function setPaginationHeaders(ctx: Koa.Context, page: Page, totalCount: number): void {
  const lastPage = Math.ceil(totalCount / page.limit) || 1;
  ctx.set('Total-Number', String(totalCount));
  ctx.append('Link', buildLink(ctx, 1, 'first'));
  if (page.page > 1) ctx.append('Link', buildLink(ctx, page.page - 1, 'prev'));
  ctx.append('Link', buildLink(ctx, lastPage, 'last'));
  if (page.page < lastPage) ctx.append('Link', buildLink(ctx, page.page + 1, 'next'));
}

function buildLink(ctx: Koa.Context, page: number, rel: 'first' | 'prev' | 'last' | 'next'): string {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.request.query)) query[key] = String(value);
  query.page = String(page);
  // `request.origin` is the Origin header in Koa 3; the URL's origin is protocol + host.
  const origin = (ctx.request.URL.origin as string | undefined) ?? '';
  return `<${origin}${ctx.path}?${new URLSearchParams(query).toString()}>; rel="${rel}"`;
}

/** Logto's `yes()`: the truthy spellings of a query flag. */
export function isTruthyFlag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'y', 'yes', 'yep', 'yeah'].includes(value.toLowerCase());
}

/** Answers `201` with no body; Koa then sends its text `Created`, as Logto does. */
export function respondCreatedWithoutBody(ctx: Koa.Context): void {
  ctx.status = 201;
}

/** Collects positional SQL parameters: `params.add(value)` returns its `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Logto's `q` search: `col ILIKE '%q%'` OR-ed over the columns, `q` unescaped so `%` and `_`
 * stay wildcards. Empty `q` → no condition (`undefined`).
 */
export function searchCondition(
  params: SqlParams,
  columns: string[],
  q: string | undefined,
): string | undefined {
  if (!q) return undefined;
  const placeholder = params.add(`%${q}%`);
  return `(${columns.map((column) => `${column} ilike ${placeholder}`).join(' or ')})`;
}

/** `where a and b` from the conditions that are set, or an empty string. */
export function whereClause(conditions: Array<string | undefined>): string {
  const present = conditions.filter((condition): condition is string => Boolean(condition));
  return present.length > 0 ? `where ${present.join(' and ')}` : '';
}

/** What each route file's `register…Routes` receives. */
export type RouteRegistration = { router: Router<ApiState>; db: Database };

/**
 * Answers one page of `select <columns> <from> <where> order by <orderBy>`, with `Total-Number`
 * and `Link` from the count of the same filter — the shape of most of Logto's list routes.
 */
export async function respondWithPage(
  ctx: Koa.Context,
  db: Database,
  o: { columns: string; from: string; where: string; orderBy: string; params: SqlParams; page: Page },
): Promise<void> {
  const { params, page } = o;
  const count = await db.pg.query<{ count: number }>(
    `select count(*)::int as count ${o.from} ${o.where}`,
    params.values,
  );
  const rows = await db.pg.query(
    `select ${o.columns} ${o.from} ${o.where} order by ${o.orderBy}
     limit ${params.add(page.limit)} offset ${params.add(page.offset)}`,
    params.values,
  );
  setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
  ctx.body = rows.rows;
}
