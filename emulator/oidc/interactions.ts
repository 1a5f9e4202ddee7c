import Router from '@koa/router';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../db';
import {
  createUserWithPassword,
  EmailAlreadyInUseError,
  findApplication,
  findUserByEmail,
  findUserByUsername,
  markUserSignedIn,
  readSignInSettings,
  type SignInSettings,
  UsernameAlreadyInUseError,
  verifyUserPassword,
} from '../db';
import { type PageLocale, type PageTextKey, pageText, pickPageLocale } from './page-text';
import {
  renderCreateAccountPage,
  renderErrorPage,
  renderSignInPage,
  type SignInIdentifierKind,
} from './pages';

const MIN_PASSWORD_LENGTH = 8;
const MAX_FORM_BYTES = 64 * 1024;
// Deliberately loose: the browser's type="email" does the strict part; this only catches typos.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Logto's username rule (`packages/toolkit/core-kit/src/regex.ts`). */
const USERNAME_PATTERN = /^[A-Z_a-z]\w*$/;

/** The identifier the sign-in form takes, from the sign-in methods. */
function signInIdentifierKind(settings: SignInSettings): SignInIdentifierKind {
  const kinds = new Set(settings.signIn.methods.map((method) => method.identifier));
  if (kinds.has('email') && kinds.has('username')) return 'either';
  return kinds.has('username') ? 'username' : 'email';
}

const WRONG_CREDENTIALS: Record<SignInIdentifierKind, PageTextKey> = {
  email: 'wrongEmailCredentials',
  username: 'wrongUsernameCredentials',
  either: 'wrongEitherCredentials',
};

/**
 * The fields of the create-account page: the sign-up identifiers (primary and secondary). Like
 * Logto's identifier-register page, an `identifier` parameter narrows the primary identifiers
 * to the ones it names, and is ignored when sign-up supports none of them.
 */
function signUpFields(
  settings: SignInSettings,
  identifierParam: unknown,
): { email: boolean; username: boolean } {
  const { identifiers, secondaryIdentifiers } = settings.signUp;
  const asked = typeof identifierParam === 'string' ? identifierParam.split(' ') : [];
  const narrowed = identifiers.filter((item) => asked.includes(item));
  const primary = narrowed.length > 0 ? narrowed : identifiers;
  const secondary = secondaryIdentifiers.map((item) => item.identifier);
  return {
    email: primary.includes('email') || secondary.includes('email') || secondary.includes('emailOrPhone'),
    username: primary.includes('username') || secondary.includes('username'),
  };
}

const REGISTER_SCREENS = new Set(['register', 'identifier:register']);

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The interaction routes under `/oidc/interaction/:uid`: the sign-in and create-account pages,
 * and automatic consent. They run in the outer app, before the provider, which only sends the
 * browser here and takes it back through `interactionResult`.
 */
export function createInteractionRoutes(o: { provider: Provider; db: Database }) {
  const { provider, db } = o;
  const router = new Router({ prefix: '/oidc/interaction/:uid' });

  const localeOf = (ctx: Koa.Context, interaction?: Interaction): PageLocale =>
    pickPageLocale(interaction?.params.ui_locales, ctx.get('accept-language') || undefined);

  const loadInteraction = async (ctx: Koa.Context): Promise<Interaction | undefined> => {
    try {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (details.uid === ctx.params.uid) return details;
    } catch {
      // Falls through to the page below: the cookie expired or belongs to another attempt.
    }
    const locale = localeOf(ctx);
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = renderErrorPage({
      title: pageText(locale, 'expiredTitle'),
      message: pageText(locale, 'expiredMessage'),
      locale,
    });
    return undefined;
  };

  const clientNameOf = async (interaction: Interaction): Promise<string> => {
    const clientId = String(interaction.params.client_id ?? '');
    const application = await findApplication(db, clientId);
    return application?.name ?? clientId;
  };

  const finish = async (ctx: Koa.Context, result: Parameters<Provider['interactionResult']>[2]) => {
    // Merged, so the consent step keeps the login it follows: with prompt=login a consent result
    // alone would send the user back to sign in again, round after round.
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
      mergeWithLastSubmission: true,
    });
    ctx.status = 303;
    ctx.redirect(returnTo);
  };

  const signIn = async (ctx: Koa.Context, accountId: string) => {
    await markUserSignedIn(db, accountId);
    await finish(ctx, { login: { accountId, remember: true } });
  };

  const html = (ctx: Koa.Context, status: number, body: string) => {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  };

  /** Everything a page of this interaction needs: language, app name, the tenant's settings. */
  const pageContext = async (ctx: Koa.Context, interaction: Interaction) => {
    const settings = await readSignInSettings(db.pg);
    return {
      settings,
      common: {
        uid: interaction.uid,
        clientName: await clientNameOf(interaction),
        locale: localeOf(ctx, interaction),
      },
    };
  };

  const signInPage = (
    page: Awaited<ReturnType<typeof pageContext>>,
    o: { email?: string; error?: PageTextKey },
  ) =>
    renderSignInPage({
      ...page.common,
      identifierKind: signInIdentifierKind(page.settings),
      canCreateAccount: page.settings.signInMode !== 'SignIn',
      ...o,
    });

  const createAccountPage = (
    page: Awaited<ReturnType<typeof pageContext>>,
    interaction: Interaction,
    o: { email?: string; username?: string; name?: string; error?: PageTextKey },
  ) =>
    renderCreateAccountPage({
      ...page.common,
      fields: signUpFields(page.settings, interaction.params.identifier),
      ...o,
    });

  router.get('/', async (ctx) => {
    const interaction = await loadInteraction(ctx);
    if (!interaction) return;

    if (interaction.prompt.name === 'consent') {
      await finish(ctx, { consent: { grantId: await grantEverythingAsked(provider, interaction) } });
      return;
    }

    const loginHint = interaction.params.login_hint;
    const email = typeof loginHint === 'string' ? loginHint : undefined;
    const page = await pageContext(ctx, interaction);
    const { first_screen: firstScreen, interaction_mode: interactionMode } = interaction.params;
    const wantsSignUp =
      (typeof firstScreen === 'string' && REGISTER_SCREENS.has(firstScreen)) || interactionMode === 'signUp';
    // A sign-in-only tenant has no sign-up page: Logto falls back to sign-in. The create-account
    // page links back with ?screen=sign-in, which wins over the request's hint.
    if (wantsSignUp && page.settings.signInMode !== 'SignIn' && ctx.query.screen !== 'sign-in') {
      html(ctx, 200, createAccountPage(page, interaction, { email }));
      return;
    }
    html(ctx, 200, signInPage(page, { email }));
  });

  router.post('/login', async (ctx) => {
    const interaction = await loadInteraction(ctx);
    if (!interaction) return;
    const form = await readForm(ctx);
    const identifier = (form.get('email') ?? '').trim();
    const password = form.get('password') ?? '';
    const page = await pageContext(ctx, interaction);
    const kind = signInIdentifierKind(page.settings);

    const byEmail = kind !== 'username' && identifier.includes('@');
    const byUsername = kind !== 'email' && !identifier.includes('@');
    const user = !identifier
      ? undefined
      : byEmail
        ? await findUserByEmail(db, identifier)
        : byUsername
          ? await findUserByUsername(db, identifier)
          : undefined;
    const isValid = user ? await verifyUserPassword(db, user.id, password) : false;
    // As in Logto, the password is checked first: only the right password learns of the suspension.
    // (Logto refuses suspended users with `401 user.suspended`.)
    const error: PageTextKey | undefined =
      !user || !isValid ? WRONG_CREDENTIALS[kind] : user.isSuspended ? 'suspended' : undefined;
    if (!user || error) {
      html(ctx, 401, signInPage(page, { email: identifier, error }));
      return;
    }
    await signIn(ctx, user.id);
  });

  router.get('/register', async (ctx) => {
    const interaction = await loadInteraction(ctx);
    if (!interaction) return;
    const emailFromQuery = typeof ctx.query.email === 'string' ? ctx.query.email : undefined;
    const loginHint = interaction.params.login_hint;
    const page = await pageContext(ctx, interaction);
    html(
      ctx,
      200,
      createAccountPage(page, interaction, {
        email: emailFromQuery ?? (typeof loginHint === 'string' ? loginHint : undefined),
      }),
    );
  });

  router.post('/register', async (ctx) => {
    const interaction = await loadInteraction(ctx);
    if (!interaction) return;
    const form = await readForm(ctx);
    const page = await pageContext(ctx, interaction);
    const fields = signUpFields(page.settings, interaction.params.identifier);
    const email = fields.email ? (form.get('email') ?? '').trim() : '';
    const username = fields.username ? (form.get('username') ?? '').trim() : '';
    const name = (form.get('name') ?? '').trim();
    const password = form.get('password') ?? '';
    const confirmation = form.get('passwordConfirmation') ?? '';

    const refuse = (error: PageTextKey, status = 400) =>
      html(ctx, status, createAccountPage(page, interaction, { email, username, name, error }));

    if (page.settings.signInMode === 'SignIn') return refuse('expiredMessage', 403);
    if (fields.email && !EMAIL_PATTERN.test(email)) return refuse('invalidEmail');
    if (fields.username && !USERNAME_PATTERN.test(username)) return refuse('invalidUsername');
    if (password.length < MIN_PASSWORD_LENGTH) return refuse('passwordTooShort');
    if (password !== confirmation) return refuse('passwordMismatch');

    let userId: string;
    try {
      const user = await createUserWithPassword(db, {
        email: email || undefined,
        username: username || undefined,
        password,
        name: name || undefined,
      });
      userId = user.id;
    } catch (error) {
      if (error instanceof EmailAlreadyInUseError) return refuse('emailInUse', 409);
      if (error instanceof UsernameAlreadyInUseError) return refuse('usernameInUse', 409);
      throw error;
    }
    await signIn(ctx, userId);
  });

  return router.routes();
}

/**
 * Consent is automatic, as for Logto's first-party apps: grant every OIDC scope, claim and
 * resource scope the request is still missing.
 */
async function grantEverythingAsked(provider: Provider, interaction: Interaction): Promise<string> {
  const accountId = interaction.session?.accountId;
  if (!accountId) throw new Error('consent prompt without a signed-in account');
  const clientId = String(interaction.params.client_id);

  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });

  const details = interaction.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

async function readForm(ctx: Koa.Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_FORM_BYTES) ctx.throw(413, 'form too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
