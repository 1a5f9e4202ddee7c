import Router from '@koa/router';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../db';
import {
  createUserWithPassword,
  EmailAlreadyInUseError,
  findApplication,
  findUserByEmail,
  markUserSignedIn,
  verifyUserPassword,
} from '../db';
import { renderCreateAccountPage, renderErrorPage, renderSignInPage } from './pages';

const MIN_PASSWORD_LENGTH = 8;
const MAX_FORM_BYTES = 64 * 1024;
// Deliberately loose: the browser's type="email" does the strict part; this only catches typos.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Shown instead of signing in a suspended user (Logto refuses them with `401 user.suspended`). */
const SUSPENDED_MESSAGE = 'This account is suspended. Ask an administrator to restore access.';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The interaction routes under `/oidc/interaction/:uid`: the sign-in and create-account pages,
 * and automatic consent. They run in the outer app, before the provider, which only sends the
 * browser here and takes it back through `interactionResult`.
 */
export function createInteractionRoutes(o: { provider: Provider; db: Database }) {
  const { provider, db } = o;
  const router = new Router({ prefix: '/oidc/interaction/:uid' });

  const loadInteraction = async (ctx: Koa.Context): Promise<Interaction | undefined> => {
    try {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (details.uid === ctx.params.uid) return details;
    } catch {
      // Falls through to the page below: the cookie expired or belongs to another attempt.
    }
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = renderErrorPage({
      title: 'This sign-in has expired',
      message: 'Go back to the app and start signing in again.',
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

  router.get('/', async (ctx) => {
    const interaction = await loadInteraction(ctx);
    if (!interaction) return;

    if (interaction.prompt.name === 'consent') {
      await finish(ctx, { consent: { grantId: await grantEverythingAsked(provider, interaction) } });
      return;
    }

    const loginHint = interaction.params.login_hint;
    const email = typeof loginHint === 'string' ? loginHint : undefined;
    const clientName = await clientNameOf(interaction);
    const { first_screen: firstScreen, interaction_mode: interactionMode } = interaction.params;
    const wantsSignUp = firstScreen === 'register' || interactionMode === 'signUp';
    // The create-account page links back with ?screen=sign-in, which wins over the request's hint.
    if (wantsSignUp && ctx.query.screen !== 'sign-in') {
      html(ctx, 200, renderCreateAccountPage({ uid: interaction.uid, clientName, email }));
      return;
    }
    html(ctx, 200, renderSignInPage({ uid: interaction.uid, clientName, email }));
  });

  router.post('/login', async (ctx) => {
    const interaction = await loadInteraction(ctx);
    if (!interaction) return;
    const form = await readForm(ctx);
    const email = (form.get('email') ?? '').trim();
    const password = form.get('password') ?? '';

    const user = email ? await findUserByEmail(db, email) : undefined;
    const isValid = user ? await verifyUserPassword(db, user.id, password) : false;
    // As in Logto, the password is checked first: only the right password learns of the suspension.
    const error =
      !user || !isValid
        ? 'The email or password is incorrect.'
        : user.isSuspended
          ? SUSPENDED_MESSAGE
          : undefined;
    if (!user || error) {
      html(
        ctx,
        401,
        renderSignInPage({ uid: interaction.uid, clientName: await clientNameOf(interaction), email, error }),
      );
      return;
    }
    await signIn(ctx, user.id);
  });

  router.get('/register', async (ctx) => {
    const interaction = await loadInteraction(ctx);
    if (!interaction) return;
    const emailFromQuery = typeof ctx.query.email === 'string' ? ctx.query.email : undefined;
    const loginHint = interaction.params.login_hint;
    html(
      ctx,
      200,
      renderCreateAccountPage({
        uid: interaction.uid,
        clientName: await clientNameOf(interaction),
        email: emailFromQuery ?? (typeof loginHint === 'string' ? loginHint : undefined),
      }),
    );
  });

  router.post('/register', async (ctx) => {
    const interaction = await loadInteraction(ctx);
    if (!interaction) return;
    const form = await readForm(ctx);
    const email = (form.get('email') ?? '').trim();
    const name = (form.get('name') ?? '').trim();
    const password = form.get('password') ?? '';
    const confirmation = form.get('passwordConfirmation') ?? '';

    const refuse = async (error: string, status = 400) =>
      html(
        ctx,
        status,
        renderCreateAccountPage({
          uid: interaction.uid,
          clientName: await clientNameOf(interaction),
          email,
          name,
          error,
        }),
      );

    if (!EMAIL_PATTERN.test(email)) return refuse('Enter a valid email address.');
    if (password.length < MIN_PASSWORD_LENGTH) {
      return refuse(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
    }
    if (password !== confirmation) return refuse('The passwords do not match.');

    let userId: string;
    try {
      const user = await createUserWithPassword(db, { email, password, name: name || undefined });
      userId = user.id;
    } catch (error) {
      if (error instanceof EmailAlreadyInUseError) {
        return refuse('An account with this email already exists. Sign in instead.', 409);
      }
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
