import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import type { Locale } from '@/lib/i18n/config';
import type { Translator } from '@/lib/i18n/messages';
import type { OrgAccess, Scope } from '@/lib/permissions';
import { runWithBudgetContext } from '@/lib/logto/budget-context';
import { classifyError } from './classify-error';
import type { ActionErrorCode, ActionResult } from './result';

/** The request-bound services an action needs; injected so the pipeline is testable without Next. */
export type ActionServices = {
  getActor: () => Promise<Actor>;
  requireOrgScopes: (actor: Actor, orgId: string, needed: readonly Scope[]) => Promise<OrgAccess>;
  getTranslator: () => Promise<{ locale: Locale; t: Translator }>;
  revalidatePath: (path: string) => void;
  logError: (action: string, error: unknown) => void;
};

/** An input schema, or a factory that receives `t` to word its own messages. */
export type ActionSchema<S extends z.ZodType> = S | ((t: Translator) => S);

export type OrgActionContext<Input> = { actor: Actor; access: OrgAccess; orgId: string; input: Input };
export type ActionContext<Input> = { actor: Actor; input: Input };

/** Definition of an organization-scoped action. */
export type OrgActionDefinition<S extends z.ZodType, T> = {
  /** Name for logs (`removeMemberAction`). */
  name: string;
  schema: ActionSchema<S>;
  /** Scopes required in the organization; `read:members` is implied by the permission check. */
  scopes: readonly Scope[];
  run: (context: OrgActionContext<z.output<S>>) => Promise<T>;
  /** Paths whose server-rendered data changed. */
  revalidate?: (context: OrgActionContext<z.output<S>> & { data: T }) => string[];
};

/** Definition of an action that is not tied to one organization (e.g. operators creating one). */
export type ActionDefinition<S extends z.ZodType, T> = {
  name: string;
  schema: ActionSchema<S>;
  /** Extra check on the actor (throw `ForbiddenError`); runs where the org check would. */
  authorize?: (actor: Actor) => void | Promise<void>;
  run: (context: ActionContext<z.output<S>>) => Promise<T>;
  revalidate?: (context: ActionContext<z.output<S>> & { data: T }) => string[];
};

const ZOD_LOCALES = { en: z.locales.en, ko: z.locales.ko, ja: z.locales.ja } satisfies Record<
  Locale,
  unknown
>;

/**
 * FormData → plain object for zod: repeated keys become arrays, Next's internal `$ACTION_*`
 * fields are dropped. Anything else passes through unchanged.
 */
export function normalizeInput(raw: unknown): unknown {
  if (!(raw instanceof FormData)) return raw;
  const out: Record<string, unknown> = {};
  for (const key of new Set(raw.keys())) {
    if (key.startsWith('$ACTION')) continue;
    const values = raw.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function fieldErrorsOf(error: z.ZodError, prefix?: string): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    // Org actions parse `{ orgId, input }`; their fields are reported as the input's own.
    const path = prefix !== undefined && issue.path[0] === prefix ? issue.path.slice(1) : issue.path;
    const key = path.length > 0 ? path.map(String).join('.') : '_form';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

/**
 * The organization id an action accepts: a string. Anything else (an array, an object) is bad
 * input; a string that is not in Logto's id alphabet, or names no organization the actor may see,
 * is answered "not found" by the permission check.
 */
export const ORGANIZATION_ID_ARGUMENT = z.string().min(1).max(128);

function resolveSchema<S extends z.ZodType>(schema: ActionSchema<S>, t: Translator): S {
  return typeof schema === 'function' ? schema(t) : schema;
}

type Step<Input, T> = {
  name: string;
  schema: ActionSchema<z.ZodType<Input>>;
  /** Leading path segment left out of field error keys. */
  fieldPrefix?: string;
  /** Permission step; returns the context `run` receives. */
  authorize: (actor: Actor, input: Input) => Promise<T>;
};

function runPipeline<Input, Context, T>(
  services: ActionServices,
  step: Step<Input, Context>,
  rawInput: unknown,
  run: (context: Context) => Promise<T>,
  revalidate: ((context: Context & { data: T }) => string[]) | undefined,
): Promise<ActionResult<T>> {
  // Everything the action sends to Logto counts toward the signed-in person's fair share.
  return runWithBudgetContext({ lane: 'interactive' }, async (): Promise<ActionResult<T>> => {
    const { locale, t } = await services.getTranslator();
    const fail = (code: ActionErrorCode, fieldErrors?: Record<string, string[]>): ActionResult<T> => ({
      ok: false,
      error: { code, message: t(`errors.${code}`), ...(fieldErrors && { fieldErrors }) },
    });

    try {
      // 1. session
      const actor = await services.getActor();
      // 2. input
      const parsed = resolveSchema(step.schema, t).safeParse(normalizeInput(rawInput), {
        error: ZOD_LOCALES[locale]().localeError,
      });
      if (!parsed.success) return fail('invalid_input', fieldErrorsOf(parsed.error, step.fieldPrefix));
      // 3. permission
      const context = await step.authorize(actor, parsed.data);
      // 4. Logto
      const data = await run(context);
      // 5. revalidate
      for (const path of revalidate?.({ ...context, data }) ?? []) services.revalidatePath(path);
      // 6. result
      return { ok: true, data };
    } catch (error) {
      // redirect() / notFound() from inside an action must still reach Next.
      unstable_rethrow(error);
      const classified = classifyError(error);
      if (classified.isUnexpected) services.logError(step.name, error);
      return fail(classified.code, classified.fieldErrors);
    }
  });
}

/**
 * Builds an org-scoped action running in the fixed order session → zod → permission → Logto →
 * revalidate → result. The organization id comes first so pages bind it:
 * `removeMemberAction.bind(null, orgId)`.
 */
export function buildOrgAction<S extends z.ZodType, T>(
  services: ActionServices,
  definition: OrgActionDefinition<S, T>,
): (orgId: string, input: z.input<S> | FormData) => Promise<ActionResult<T>> {
  return (orgId, input) =>
    runPipeline<{ orgId: string; input: z.output<S> }, OrgActionContext<z.output<S>>, T>(
      services,
      {
        name: definition.name,
        fieldPrefix: 'input',
        // The organization id arrives in the action's payload like any other argument: whatever a
        // caller sends (an array, an object) must not reach the permission check or the lock key.
        schema: (t) =>
          z.object({
            orgId: ORGANIZATION_ID_ARGUMENT,
            input: resolveSchema(definition.schema as ActionSchema<z.ZodType<z.output<S>>>, t),
          }),
        authorize: async (actor, parsed) => ({
          actor,
          orgId: parsed.orgId,
          input: parsed.input,
          access: await services.requireOrgScopes(actor, parsed.orgId, definition.scopes),
        }),
      },
      { orgId, input: normalizeInput(input) },
      definition.run,
      definition.revalidate,
    );
}

/** Builds an action that is not tied to one organization, with the same fixed order. */
export function buildAction<S extends z.ZodType, T>(
  services: ActionServices,
  definition: ActionDefinition<S, T>,
): (input: z.input<S> | FormData) => Promise<ActionResult<T>> {
  return (input) =>
    runPipeline<z.output<S>, ActionContext<z.output<S>>, T>(
      services,
      {
        name: definition.name,
        schema: definition.schema as ActionSchema<z.ZodType<z.output<S>>>,
        authorize: async (actor, parsedInput) => {
          await definition.authorize?.(actor);
          return { actor, input: parsedInput };
        },
      },
      input,
      definition.run,
      definition.revalidate,
    );
}
