import type { z } from 'zod';

/**
 * English phrases of the Logto error codes the emulator can answer with
 * (`packages/phrases/src/locales/en/errors/*.ts`); `{{name}}` marks an interpolation.
 */
const PHRASES = {
  'guard.invalid_input': 'The request {{type}} is invalid.',
  'guard.invalid_pagination': 'The request pagination value is invalid.',
  'entity.invalid_input': 'Invalid input. Value list must not be empty.',
  'entity.value_too_long': 'The length of value is too long and exceeds the limit.',
  'entity.db_constraint_violated': 'Database constraint violated.',
  'entity.not_exists': 'The {{name}} does not exist.',
  'entity.not_exists_with_id': 'The {{name}} with ID `{{id}}` does not exist.',
  'entity.not_found': 'The resource does not exist.',
  'entity.relation_foreign_key_not_found':
    'Cannot find one or more foreign keys. Please check the input and ensure that all referenced entities exist.',
  'entity.unique_integrity_violation': 'The entity already exists. Please check the input and try again.',
  'request.invalid_input': 'Input is invalid. {{details}}',
  'request.message_rate_limited': 'Too many messages sent to this recipient. Please try again later.',
  'organization.require_membership': 'The user must be a member of the organization to proceed.',
  'organization.role_names_not_found':
    'Invalid role names detected: {{names}}. Please create these roles first before proceeding.',
  'connector.not_found': 'Cannot find any available connector for type: {{type}}.',
  'connector.not_found_with_connector_id': 'Can not find connector with given standard connector id.',
  'connector.multiple_instances_not_supported':
    'Can not create multiple instance with picked standard connector.',
  'connector.token_storage_not_supported': 'This connector does not support token storage. ',
  'single_sign_on.duplicate_connector_name': 'Connector name already exists. Please choose a different name.',
  'user.username_already_in_use': 'This username is already in use.',
  'user.email_already_in_use': 'This email is associated with an existing account.',
  'user.phone_already_in_use': 'This phone number is associated with an existing account.',
  'user.invalid_role_type': 'Invalid role type, can not assign machine-to-machine role to user.',
  'user.role_exists': 'The role id {{roleId}} is already been added to this user',
  'role.name_in_use': 'This role name {{name}} is already in use',
  'resource.resource_identifier_in_use': 'The API identifier {{indicator}} is already in use',
  'resource.cannot_delete_management_api': 'Cannot delete Logto Management API.',
  'application.invalid_type': 'Only machine to machine applications can have associated roles.',
  'application.invalid_role_type': 'Can not assign user type role to machine to machine application.',
  'application.saml.use_saml_app_api': 'Use `[METHOD] /saml-applications(/.*)?` API to operate SAML app.',
  'session.invalid_credentials': 'Incorrect account or password. Please check your input.',
  'sign_in_experiences.missing_sign_up_identifiers': 'Primary sign-up identifier cannot be empty.',
  'sign_in_experiences.duplicated_sign_up_identifiers': 'Duplicate sign-up identifiers detected.',
  'sign_in_experiences.passwordless_requires_verify':
    'Must enable verify for email/phone sign up identifier.',
  'sign_in_experiences.enabled_connector_not_found': 'Enabled {{type}} connector not found.',
  'sign_in_experiences.at_least_one_authentication_factor':
    'You have to select at least one authentication factor.',
} as const;

export type ErrorCode = keyof typeof PHRASES;

/** The JSON body of a Logto error: `data` and `details` only when there is something to say. */
export type ErrorBody = { code: ErrorCode; message: string; data?: unknown; details?: string };

/**
 * A Logto-shaped API error. Thrown anywhere in a route; the error middleware turns it into
 * `{ code, message, data?, details? }` with its status.
 */
export class RequestError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly data: unknown;
  readonly details: string | undefined;

  constructor(
    input: { code: ErrorCode; status?: number; interpolation?: Record<string, string> },
    extra: { data?: unknown; details?: string } = {},
  ) {
    super(interpolate(PHRASES[input.code], input.interpolation ?? {}));
    this.name = 'RequestError';
    this.code = input.code;
    this.status = input.status ?? 400;
    this.data = extra.data;
    this.details = extra.details;
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.data === undefined ? {} : { data: this.data }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

function interpolate(phrase: string, values: Record<string, string>): string {
  return phrase.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
}

/** `404 entity.not_found` — Logto's answer to most lookups and deletes of a missing row. */
export const notFound = () => new RequestError({ code: 'entity.not_found', status: 404 });

/** `404 entity.not_exists` — Logto's answer to updating a missing row (`name` is the table, singular). */
export const notExists = (name: string) =>
  new RequestError({ code: 'entity.not_exists', status: 404, interpolation: { name } });

/** `404 entity.not_exists_with_id` — Logto's `findById` on a missing row (`name` is the table name). */
export const notExistsWithId = (name: string, id: string) =>
  new RequestError({ code: 'entity.not_exists_with_id', status: 404, interpolation: { name, id } });

/** `400`/`422 request.invalid_input` — the explanation goes in the message, not in `details`. */
export const invalidInput = (details: string, status = 400) =>
  new RequestError({ code: 'request.invalid_input', status, interpolation: { details } });

/** Joins names as `Intl.ListFormat` does for i18next's `list(type:conjunction)`. */
export function formatNameList(names: string[]): string {
  return new Intl.ListFormat('en', { type: 'conjunction' }).format(names);
}

type ZodIssueV3 = { code: string; path: Array<string | number>; message: string; [key: string]: unknown };

/**
 * Builds Logto's `400 guard.invalid_input` for a zod failure. Logto runs zod 3, the emulator zod 4,
 * so issues are translated back to zod 3's codes and messages: `details` then reads exactly as
 * Logto's (`Error in key path "invitee": (invalid_string) Invalid email`).
 */
export function guardError(type: 'body' | 'query' | 'params', error: z.ZodError): RequestError {
  const issues = error.issues.map((issue) => toZodV3Issue(issue));
  const details = issues
    .map((issue) => {
      const base = `Error in key path "${issue.path.map(String).join('.')}": (${issue.code}) `;
      return issue.code === 'invalid_type'
        ? `${base}Expected ${String(issue.expected)} but received ${String(issue.received)}.`
        : base + issue.message;
    })
    .join('\n');
  return new RequestError(
    { code: 'guard.invalid_input', status: 400, interpolation: { type } },
    { data: { issues, name: 'ZodError' }, details },
  );
}

function toZodV3Issue(issue: z.core.$ZodIssue): ZodIssueV3 {
  const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  switch (issue.code) {
    case 'invalid_type': {
      const received = 'input' in issue ? zodV3TypeName(issue.input) : 'unknown';
      return {
        code: 'invalid_type',
        expected: issue.expected,
        received,
        path,
        message: received === 'undefined' ? 'Required' : `Expected ${issue.expected}, received ${received}`,
      };
    }
    case 'invalid_format': {
      const validation = issue.format === 'regex' ? 'regex' : issue.format;
      const message = issue.format === 'regex' ? 'Invalid' : `Invalid ${issue.format}`;
      return { code: 'invalid_string', validation, path, message };
    }
    case 'too_small':
    case 'too_big': {
      const isSmall = issue.code === 'too_small';
      const limit = Number(isSmall ? issue.minimum : issue.maximum);
      const inclusive = issue.inclusive ?? true;
      const type = issue.origin === 'array' ? 'array' : issue.origin === 'string' ? 'string' : 'number';
      const bound = isSmall ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
      const message =
        type === 'array'
          ? `Array must contain ${bound} ${limit} element(s)`
          : type === 'string'
            ? `String must contain ${bound} ${limit} character(s)`
            : `Number must be ${isSmall ? (inclusive ? 'greater than or equal to' : 'greater than') : inclusive ? 'less than or equal to' : 'less than'} ${limit}`;
      return {
        code: issue.code,
        [isSmall ? 'minimum' : 'maximum']: limit,
        type,
        inclusive,
        exact: false,
        path,
        message,
      };
    }
    case 'invalid_value': {
      const received = 'input' in issue ? issue.input : undefined;
      if (issue.values.length === 1) {
        return {
          code: 'invalid_literal',
          expected: issue.values[0],
          received,
          path,
          message: `Invalid literal value, expected ${JSON.stringify(issue.values[0])}`,
        };
      }
      const options = issue.values.map((value) => `'${String(value)}'`).join(' | ');
      return {
        code: 'invalid_enum_value',
        options: issue.values,
        received,
        path,
        message: `Invalid enum value. Expected ${options}, received '${String(received)}'`,
      };
    }
    case 'invalid_union':
      return { code: 'invalid_union', path, message: 'Invalid input' };
    default:
      return { code: issue.code, path, message: issue.message };
  }
}

/** zod 3's `getParsedType` names, used in its `invalid_type` messages. */
function zodV3TypeName(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** Postgres error codes Logto turns into API errors. */
export const PG_ERROR = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  stringTooLong: '22001',
} as const;

/** The Postgres error code of a database error, if it is one. */
export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/**
 * The organization routers' own mapping (`routes/organization/utils.ts`): unique and foreign-key
 * violations become 422s there, whereas the global handler sends FK violations as 404.
 */
export async function organizationErrorHandler(_ctx: unknown, next: () => Promise<unknown>): Promise<void> {
  try {
    await next();
  } catch (error: unknown) {
    const code = pgErrorCode(error);
    if (code === PG_ERROR.uniqueViolation) {
      throw new RequestError({ code: 'entity.unique_integrity_violation', status: 422 });
    }
    if (code === PG_ERROR.foreignKeyViolation) {
      throw new RequestError({ code: 'entity.relation_foreign_key_not_found', status: 422 });
    }
    throw error;
  }
}
