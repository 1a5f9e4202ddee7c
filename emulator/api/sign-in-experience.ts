import { z } from 'zod';
import { OUTBOX_CONNECTOR_FACTORY_ID } from '../db/outbox';
import { readSignInSettings, type SignInSettings, writeSignInSettings } from '../db/sign-in-experience';
import { RequestError } from './errors';
import type { ApiContext, RouteRegistration } from './http';
import { guard } from './http';

const identifier = z.enum(['username', 'email', 'phone']);

const signUpGuard = z.object({
  identifiers: z.array(identifier),
  password: z.boolean(),
  verify: z.boolean(),
  secondaryIdentifiers: z
    .array(
      z.object({
        identifier: z.enum(['username', 'email', 'phone', 'emailOrPhone']),
        verify: z.boolean().optional(),
      }),
    )
    .optional(),
});

const signInGuard = z.object({
  methods: z.array(
    z.object({
      identifier,
      password: z.boolean(),
      verificationCode: z.boolean(),
      isPasswordPrimary: z.boolean(),
    }),
  ),
});

// Only the fields the local Logto acts on; Logto's others are accepted and dropped (zod strip).
const patchGuard = z
  .object({
    signInMode: z.enum(['SignIn', 'Register', 'SignInAndRegister']),
    signUp: signUpGuard,
    signIn: signInGuard,
  })
  .partial();

/**
 * `GET /sign-in-exp` and `PATCH /sign-in-exp`: the sign-up and sign-in settings the local
 * Logto's pages follow, with Logto's validation of them
 * (`packages/core/src/libraries/sign-in-experience/sign-up.ts` and `sign-in.ts`): email or phone
 * sign-up must verify, and verifying needs a connector of that type (the outbox is the local
 * Logto's only one: email). Every other field of Logto's answer is its default and is not stored.
 */
export function registerSignInExperienceRoutes({ router, db }: RouteRegistration): void {
  router.get('/sign-in-exp', async (ctx: ApiContext) => {
    ctx.body = withLogtoDefaults(await readSignInSettings(db.pg));
  });

  router.patch('/sign-in-exp', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: patchGuard });
    const current = await readSignInSettings(db.pg);
    const hasEmailConnector =
      (await db.pg.query(`select 1 from connectors where connector_id = $1`, [OUTBOX_CONNECTOR_FACTORY_ID]))
        .rows.length > 0;
    const next: SignInSettings = {
      signInMode: body.signInMode ?? current.signInMode,
      signUp: body.signUp
        ? { ...body.signUp, secondaryIdentifiers: body.signUp.secondaryIdentifiers ?? [] }
        : current.signUp,
      signIn: body.signIn ?? current.signIn,
    };
    if (body.signUp) validateSignUp(next.signUp, hasEmailConnector);
    if (body.signIn) validateSignIn(next.signIn, hasEmailConnector);
    await writeSignInSettings(db.pg, next);
    ctx.body = withLogtoDefaults(next);
  });
}

const fail = (code: SignInExperienceErrorCode, type?: 'Email' | 'Sms') =>
  new RequestError(
    { code, status: 400, interpolation: type ? { type } : {} },
    type ? { data: { type } } : {},
  );

type SignInExperienceErrorCode =
  | 'sign_in_experiences.missing_sign_up_identifiers'
  | 'sign_in_experiences.duplicated_sign_up_identifiers'
  | 'sign_in_experiences.passwordless_requires_verify'
  | 'sign_in_experiences.enabled_connector_not_found'
  | 'sign_in_experiences.at_least_one_authentication_factor';

function validateSignUp(signUp: SignInSettings['signUp'], hasEmailConnector: boolean): void {
  const { identifiers, secondaryIdentifiers, verify } = signUp;
  if (secondaryIdentifiers.length > 0 && identifiers.length === 0)
    throw fail('sign_in_experiences.missing_sign_up_identifiers');
  const primary = new Set(identifiers);
  const secondary = new Set(secondaryIdentifiers.map((item) => item.identifier));
  if (primary.size !== identifiers.length || secondary.size !== secondaryIdentifiers.length)
    throw fail('sign_in_experiences.duplicated_sign_up_identifiers');
  for (const item of secondary) {
    const clashes =
      item === 'emailOrPhone' ? primary.has('email') || primary.has('phone') : primary.has(item);
    if (clashes) throw fail('sign_in_experiences.duplicated_sign_up_identifiers');
  }
  if (identifiers.some((item) => item !== 'username') && !verify)
    throw fail('sign_in_experiences.passwordless_requires_verify');
  if (secondaryIdentifiers.some((item) => item.identifier !== 'username' && !item.verify))
    throw fail('sign_in_experiences.passwordless_requires_verify');
  if ((primary.has('email') || secondary.has('email') || secondary.has('emailOrPhone')) && !hasEmailConnector)
    throw fail('sign_in_experiences.enabled_connector_not_found', 'Email');
  // The local Logto has no SMS connector at all.
  if (primary.has('phone') || secondary.has('phone') || secondary.has('emailOrPhone'))
    throw fail('sign_in_experiences.enabled_connector_not_found', 'Sms');
}

function validateSignIn(signIn: SignInSettings['signIn'], hasEmailConnector: boolean): void {
  for (const method of signIn.methods) {
    if (method.verificationCode && method.identifier === 'email' && !hasEmailConnector)
      throw fail('sign_in_experiences.enabled_connector_not_found', 'Email');
    if (method.verificationCode && method.identifier === 'phone')
      throw fail('sign_in_experiences.enabled_connector_not_found', 'Sms');
  }
  if (!signIn.methods.every((method) => method.password || method.verificationCode))
    throw fail('sign_in_experiences.at_least_one_authentication_factor');
}

/** Logto's full answer: the stored settings plus the defaults of a new OSS tenant. */
function withLogtoDefaults(settings: SignInSettings) {
  return {
    tenantId: 'default',
    id: 'default',
    color: { primaryColor: '#6139F6', isDarkModeEnabled: false, darkPrimaryColor: '#8768F8' },
    branding: { logoUrl: 'https://logto.io/logo.svg', darkLogoUrl: 'https://logto.io/logo-dark.svg' },
    hideLogtoBranding: false,
    languageInfo: { autoDetect: true, fallbackLanguage: 'en' },
    termsOfUseUrl: null,
    privacyPolicyUrl: null,
    agreeToTermsPolicy: 'Automatic',
    signIn: settings.signIn,
    signUp: settings.signUp,
    socialSignIn: {},
    socialSignInConnectorTargets: [],
    signInMode: settings.signInMode,
    customCss: null,
    customContent: {},
    customUiAssets: null,
    passwordPolicy: {},
    mfa: { factors: [], policy: 'UserControlled' },
    singleSignOnEnabled: false,
    supportEmail: null,
    supportWebsiteUrl: null,
    unknownSessionRedirectUrl: null,
    signUpProfileFields: null,
  };
}
