import type { SqlParams } from './http';

type MatchMode = 'like' | 'exact' | 'similar_to' | 'posix';
const MATCH_MODES: readonly MatchMode[] = ['like', 'exact', 'similar_to', 'posix'];
const JOINT_MODES = ['and', 'or'] as const;

/**
 * Thrown for a search the caller got wrong; routes answer `400 request.invalid_input` with this
 * message as the explanation and `data: {}` (Logto serializes the TypeError it throws).
 */
export class SearchInputError extends TypeError {}

/**
 * Logto's "advanced search" over query parameters (`search`, `search.<field>`, `mode`,
 * `mode.<field>`, `joint`/`jointMode`, `isCaseSensitive`), as in `packages/core/src/utils/search.ts`,
 * compiled to a SQL condition over `columns` (snake_case names, prefixed with `alias.`).
 * Returns `undefined` when nothing is searched.
 */
export function buildAdvancedSearch(
  searchParams: URLSearchParams,
  columns: readonly string[],
  params: SqlParams,
  alias: string,
): string | undefined {
  const jointValue = searchParams.get('joint') ?? searchParams.get('jointMode');
  if (jointValue && !(JOINT_MODES as readonly string[]).includes(jointValue)) {
    throw new SearchInputError(
      `Search joint mode \`${jointValue}\` is not valid, expect one of ${JOINT_MODES.join(', ')}.`,
    );
  }
  const joint = jointValue === 'and' ? ' and ' : ' or ';
  const isCaseSensitive = ['1', 'true', 'y', 'yes', 'yep', 'yeah'].includes(
    (searchParams.get('isCaseSensitive') ?? 'false').toLowerCase(),
  );

  const modes = new Map<string | undefined, MatchMode>();
  const values = new Map<string | undefined, string[]>();
  for (const [key, value] of searchParams.entries()) {
    if (key.startsWith('mode')) {
      const field = searchField(key);
      if (!(MATCH_MODES as readonly string[]).includes(value)) {
        throw new SearchInputError(
          `Search match mode \`${value}\`${field ? ` for field \`${field}\`` : ''} is not valid, expect one of ${MATCH_MODES.join(', ')}.`,
        );
      }
      modes.set(field, value as MatchMode);
    } else if (key.startsWith('search')) {
      const field = searchField(key);
      values.set(field, [...(values.get(field) ?? []), value]);
    }
  }

  const conditions: string[] = [];
  for (const [rawField, fieldValues] of values) {
    const mode = modes.get(rawField) ?? modes.get(undefined) ?? 'like';
    if (mode === 'exact') {
      if (!fieldValues.every(Boolean)) throw new SearchInputError('Search value cannot be empty.');
    } else {
      if (fieldValues.length !== 1) {
        throw new SearchInputError('Only one search value is allowed when search mode is not `exact`.');
      }
      if (!fieldValues[0]) throw new SearchInputError('Search value cannot be empty.');
    }
    const field = rawField && toSnakeCase(rawField);
    if (field && !columns.includes(field)) {
      throw new SearchInputError(
        `Search field \`${field}\` is not valid, expect one of ${columns.join(', ')}.`,
      );
    }
    const shouldLowercase = !isCaseSensitive && mode === 'exact';
    const operator = matchOperator(mode, isCaseSensitive);
    const normalized = shouldLowercase ? fieldValues.map((value) => value.toLowerCase()) : fieldValues;
    const valueSql =
      normalized.length === 1 ? params.add(normalized[0]) : `any(${params.add(normalized)}::varchar[])`;
    const targets = field ? [field] : columns;
    conditions.push(
      `(${targets
        .map(
          (column) =>
            `${shouldLowercase ? `lower(${alias}.${column})` : `${alias}.${column}`} ${operator} ${valueSql}`,
        )
        .join(' or ')})`,
    );
  }
  return conditions.length > 0 ? `(${conditions.join(joint)})` : undefined;
}

function searchField(key: string): string | undefined {
  const path = key.split('.');
  if (path.length > 2) {
    throw new SearchInputError(
      `Unsupported nested search field path \`${path.slice(1).join('.')}\` detected. Only the first level field is supported.`,
    );
  }
  return path[1];
}

function matchOperator(mode: MatchMode, isCaseSensitive: boolean): string {
  switch (mode) {
    case 'exact':
      return '=';
    case 'like':
      return isCaseSensitive ? '~~' : '~~*';
    case 'similar_to':
      if (!isCaseSensitive) throw new SearchInputError('Cannot use case-insensitive match for `similar to`.');
      return 'similar to';
    case 'posix':
      return isCaseSensitive ? '~' : '~*';
  }
}

function toSnakeCase(value: string): string {
  return value.replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase();
}
