import { type PageLocale, pageText, type PageTextKey } from './page-text';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLES = `
  :root { color-scheme: light; --accent: #5d34f2; --accent-dark: #4a25d6; --danger: #c4221a; }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 24px;
    font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans KR",
    "Noto Sans JP", sans-serif; color: #1b1b1f; background: #f3f2f8; }
  main { width: 100%; max-width: 400px; background: #fff; border-radius: 14px; padding: 32px;
    box-shadow: 0 1px 2px rgb(0 0 0 / 6%), 0 8px 24px rgb(0 0 0 / 8%); }
  .badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .02em;
    color: var(--accent); background: #efeafe; border-radius: 999px; padding: 2px 10px; }
  h1 { font-size: 22px; margin: 12px 0 4px; }
  p.lead { margin: 0 0 24px; color: #5b5b66; }
  label { display: block; font-weight: 600; margin: 16px 0 6px; }
  input { width: 100%; font: inherit; padding: 10px 12px; border: 1px solid #c9c8d3;
    border-radius: 8px; background: #fff; }
  input:focus { outline: 2px solid var(--accent); outline-offset: 1px; border-color: var(--accent); }
  .hint { margin: 4px 0 0; font-size: 13px; color: #6b6b76; }
  button { width: 100%; margin-top: 24px; font: inherit; font-weight: 600; color: #fff;
    background: var(--accent); border: 0; border-radius: 8px; padding: 11px 16px; cursor: pointer; }
  button:hover { background: var(--accent-dark); }
  button:focus-visible { outline: 2px solid #1b1b1f; outline-offset: 2px; }
  .alert { margin: 0 0 8px; padding: 10px 12px; border-radius: 8px; color: var(--danger);
    background: #fdecea; border: 1px solid #f5c2bd; }
  .footer { margin: 24px 0 0; text-align: center; color: #5b5b66; }
  a { color: var(--accent); font-weight: 600; }
  pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f9; padding: 8px 12px;
    border-radius: 8px; font-size: 13px; }
`;

function layout(title: string, body: string, extraHead = '', locale: PageLocale = 'en'): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLES}</style>
${extraHead}
</head>
<body>
<main>
<span class="badge">${escapeHtml(pageText(locale, 'badge'))}</span>
${body}
</main>
</body>
</html>`;
}

function alert(message: string | undefined): string {
  return message ? `<p class="alert" role="alert" id="form-error">${escapeHtml(message)}</p>` : '';
}

function describedBy(error: string | undefined): string {
  return error ? ' aria-describedby="form-error" aria-invalid="true"' : '';
}

/** Which identifier the sign-in form takes, from the sign-in methods. */
export type SignInIdentifierKind = 'email' | 'username' | 'either';

const IDENTIFIER_LABEL: Record<SignInIdentifierKind, PageTextKey> = {
  email: 'email',
  username: 'username',
  either: 'emailOrUsername',
};

/** The sign-in page of an interaction, in `locale`, asking for the identifier the tenant signs in with. */
export function renderSignInPage(o: {
  uid: string;
  clientName: string;
  locale: PageLocale;
  identifierKind: SignInIdentifierKind;
  /** Sign-up is open: link to the create-account page. */
  canCreateAccount: boolean;
  email?: string;
  error?: PageTextKey;
}): string {
  const t = (key: PageTextKey, values?: Record<string, string>) =>
    escapeHtml(pageText(o.locale, key, values));
  const base = `/oidc/interaction/${encodeURIComponent(o.uid)}`;
  const error = o.error && pageText(o.locale, o.error);
  return layout(
    pageText(o.locale, 'signInTitle'),
    `<h1>${t('signInHeading')}</h1>
<p class="lead">${t('lead', { client: o.clientName })}</p>
${alert(error)}
<form method="post" action="${base}/login" novalidate>
  <label for="email">${t(IDENTIFIER_LABEL[o.identifierKind])}</label>
  <input id="email" name="email" type="${o.identifierKind === 'email' ? 'email' : 'text'}" autocomplete="username" required
    value="${escapeHtml(o.email ?? '')}"${o.email ? '' : ' autofocus'}${describedBy(error)}>
  <label for="password">${t('password')}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${
    o.email ? ' autofocus' : ''
  }${describedBy(error)}>
  <button type="submit">${t('signInButton')}</button>
</form>
${
  o.canCreateAccount
    ? `<p class="footer">${t('noAccount')} <a href="${base}/register${
        o.email ? `?email=${encodeURIComponent(o.email)}` : ''
      }">${t('createAccount')}</a></p>`
    : ''
}`,
    '',
    o.locale,
  );
}

/**
 * The create-account page of an interaction, in `locale`, with the identifiers the tenant's
 * sign-up asks for: an email field only when sign-up collects one (Logto's default asks for a
 * username only).
 */
export function renderCreateAccountPage(o: {
  uid: string;
  clientName: string;
  locale: PageLocale;
  fields: { email: boolean; username: boolean };
  email?: string;
  username?: string;
  name?: string;
  error?: PageTextKey;
}): string {
  const t = (key: PageTextKey, values?: Record<string, string>) =>
    escapeHtml(pageText(o.locale, key, values));
  const base = `/oidc/interaction/${encodeURIComponent(o.uid)}`;
  const error = o.error && pageText(o.locale, o.error);
  const emailField = o.fields.email
    ? `<label for="email">${t('email')}</label>
  <input id="email" name="email" type="email" autocomplete="email" required
    value="${escapeHtml(o.email ?? '')}"${describedBy(error)}>
  `
    : '';
  const usernameField = o.fields.username
    ? `<label for="username">${t('username')}</label>
  <input id="username" name="username" type="text" autocomplete="username" required
    value="${escapeHtml(o.username ?? '')}"${describedBy(error)}>
  `
    : '';
  return layout(
    pageText(o.locale, 'createAccountTitle'),
    `<h1>${t('createAccount')}</h1>
<p class="lead">${t('lead', { client: o.clientName })}</p>
${alert(error)}
<form method="post" action="${base}/register" novalidate>
  ${emailField}${usernameField}<label for="name">${t('name')}</label>
  <input id="name" name="name" type="text" autocomplete="name" value="${escapeHtml(o.name ?? '')}">
  <label for="password">${t('password')}</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required
    minlength="8" aria-describedby="password-hint">
  <p class="hint" id="password-hint">${t('passwordHint')}</p>
  <label for="password-confirmation">${t('confirmPassword')}</label>
  <input id="password-confirmation" name="passwordConfirmation" type="password"
    autocomplete="new-password" required minlength="8">
  <button type="submit">${t('createAccount')}</button>
</form>
<p class="footer">${t('haveAccount')} <a href="${base}?screen=sign-in">${t('signInButton')}</a></p>`,
    '',
    o.locale,
  );
}

/** A dead-end page for expired or broken sign-in attempts and OIDC errors shown to a person. */
export function renderErrorPage(o: {
  title: string;
  message: string;
  details?: Record<string, string>;
  locale?: PageLocale;
}): string {
  const details = o.details
    ? Object.entries(o.details)
        .map(([key, value]) => `<pre><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</pre>`)
        .join('')
    : '';
  return layout(
    `${o.title} — Logto (local)`,
    `<h1>${escapeHtml(o.title)}</h1>
<p class="lead">${escapeHtml(o.message)}</p>
${details}`,
    '',
    o.locale,
  );
}

/**
 * The RP-initiated logout confirmation. Like Logto, it does not ask: the provider's form (which
 * carries the XSRF token) is submitted at once with `logout=yes`; the button is for no-JS browsers.
 */
export function renderLogoutPage(providerForm: string): string {
  return layout(
    'Signing out — Logto (local)',
    `<h1>Signing out…</h1>
${providerForm}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<script>
  const form = document.getElementById('op.logoutForm');
  const input = document.createElement('input');
  input.type = 'hidden'; input.name = 'logout'; input.value = 'yes';
  form.appendChild(input);
  form.submit();
</script>`,
  );
}

/** Shown after sign-out when the app gave no post-logout redirect URI. */
export function renderSignedOutPage(): string {
  return layout(
    'Signed out — Logto (local)',
    `<h1>You are signed out</h1>
<p class="lead">You can close this tab.</p>`,
  );
}
