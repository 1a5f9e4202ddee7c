/**
 * The local Logto's sign-in and sign-up pages in the portal's three languages. Like Logto's
 * experience app, the page follows `ui_locales` from the authorization request first, then the
 * browser's `Accept-Language`, then English (Logto's default fallback language).
 */
export const PAGE_LOCALES = ['en', 'ko', 'ja'] as const;
export type PageLocale = (typeof PAGE_LOCALES)[number];

const EN = {
  badge: 'Local Logto',
  signInTitle: 'Sign in to Logto (local)',
  signInHeading: 'Sign in',
  lead: 'to continue to {client}',
  email: 'Email',
  username: 'Username',
  emailOrUsername: 'Email or username',
  name: 'Name',
  password: 'Password',
  passwordHint: 'At least 8 characters.',
  confirmPassword: 'Confirm password',
  signInButton: 'Sign in',
  noAccount: 'No account yet?',
  createAccount: 'Create account',
  createAccountTitle: 'Create account — Logto (local)',
  haveAccount: 'Already have an account?',
  wrongEmailCredentials: 'The email or password is incorrect.',
  wrongUsernameCredentials: 'The username or password is incorrect.',
  wrongEitherCredentials: 'The email, username or password is incorrect.',
  suspended: 'This account is suspended. Ask an administrator to restore access.',
  invalidEmail: 'Enter a valid email address.',
  invalidUsername: 'A username starts with a letter or _ and has only letters, digits and _.',
  passwordTooShort: 'The password must be at least 8 characters long.',
  passwordMismatch: 'The passwords do not match.',
  emailInUse: 'An account with this email already exists. Sign in instead.',
  usernameInUse: 'This username is already taken. Choose another.',
  expiredTitle: 'This sign-in has expired',
  expiredMessage: 'Go back to the app and start signing in again.',
};

export type PageTextKey = keyof typeof EN;
type PageText = Record<PageTextKey, string>;

const KO: PageText = {
  badge: '로컬 Logto',
  signInTitle: 'Logto 로그인 (로컬)',
  signInHeading: '로그인',
  lead: '{client}(으)로 계속하려면 로그인하세요',
  email: '이메일',
  username: '사용자 이름',
  emailOrUsername: '이메일 또는 사용자 이름',
  name: '이름',
  password: '비밀번호',
  passwordHint: '8자 이상 입력하세요.',
  confirmPassword: '비밀번호 확인',
  signInButton: '로그인',
  noAccount: '아직 계정이 없으신가요?',
  createAccount: '계정 만들기',
  createAccountTitle: '계정 만들기 — Logto (로컬)',
  haveAccount: '이미 계정이 있으신가요?',
  wrongEmailCredentials: '이메일 또는 비밀번호가 올바르지 않습니다.',
  wrongUsernameCredentials: '사용자 이름 또는 비밀번호가 올바르지 않습니다.',
  wrongEitherCredentials: '이메일, 사용자 이름 또는 비밀번호가 올바르지 않습니다.',
  suspended: '이 계정은 정지되었습니다. 관리자에게 접근 복구를 요청하세요.',
  invalidEmail: '올바른 이메일 주소를 입력하세요.',
  invalidUsername: '사용자 이름은 영문자 또는 _로 시작하고 영문자, 숫자, _만 사용할 수 있습니다.',
  passwordTooShort: '비밀번호는 8자 이상이어야 합니다.',
  passwordMismatch: '비밀번호가 일치하지 않습니다.',
  emailInUse: '이 이메일로 된 계정이 이미 있습니다. 로그인하세요.',
  usernameInUse: '이미 사용 중인 사용자 이름입니다. 다른 이름을 선택하세요.',
  expiredTitle: '로그인 시간이 만료되었습니다',
  expiredMessage: '앱으로 돌아가 다시 로그인을 시작하세요.',
};

const JA: PageText = {
  badge: 'ローカル Logto',
  signInTitle: 'Logto にサインイン（ローカル）',
  signInHeading: 'サインイン',
  lead: '{client} に進むにはサインインしてください',
  email: 'メールアドレス',
  username: 'ユーザー名',
  emailOrUsername: 'メールアドレスまたはユーザー名',
  name: '名前',
  password: 'パスワード',
  passwordHint: '8 文字以上で入力してください。',
  confirmPassword: 'パスワード（確認）',
  signInButton: 'サインイン',
  noAccount: 'アカウントをお持ちでない場合',
  createAccount: 'アカウントを作成',
  createAccountTitle: 'アカウントを作成 — Logto（ローカル）',
  haveAccount: 'すでにアカウントをお持ちの場合',
  wrongEmailCredentials: 'メールアドレスまたはパスワードが正しくありません。',
  wrongUsernameCredentials: 'ユーザー名またはパスワードが正しくありません。',
  wrongEitherCredentials: 'メールアドレス、ユーザー名、またはパスワードが正しくありません。',
  suspended: 'このアカウントは停止されています。管理者にアクセスの復旧を依頼してください。',
  invalidEmail: '有効なメールアドレスを入力してください。',
  invalidUsername: 'ユーザー名は英字または _ で始め、英数字と _ のみ使えます。',
  passwordTooShort: 'パスワードは 8 文字以上にしてください。',
  passwordMismatch: 'パスワードが一致しません。',
  emailInUse: 'このメールアドレスのアカウントはすでにあります。サインインしてください。',
  usernameInUse: 'このユーザー名はすでに使われています。別の名前を選んでください。',
  expiredTitle: 'このサインインは期限切れです',
  expiredMessage: 'アプリに戻って、もう一度サインインを始めてください。',
};

const TEXT: Record<PageLocale, PageText> = { en: EN, ko: KO, ja: JA };

/** The text of `key` in `locale`, with `{name}` placeholders filled. */
export function pageText(locale: PageLocale, key: PageTextKey, values: Record<string, string> = {}): string {
  return TEXT[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

function firstSupported(tags: string[]): PageLocale | undefined {
  for (const tag of tags) {
    const primary = tag.trim().toLowerCase().split('-')[0];
    const match = PAGE_LOCALES.find((locale) => locale === primary);
    if (match) return match;
  }
  return undefined;
}

/**
 * The page language: the first supported tag of `ui_locales` (space-separated, in order of
 * preference), else of `Accept-Language` (by q-value), else English.
 */
export function pickPageLocale(uiLocales: unknown, acceptLanguage: string | undefined): PageLocale {
  const fromRequest = typeof uiLocales === 'string' ? firstSupported(uiLocales.split(/\s+/)) : undefined;
  if (fromRequest) return fromRequest;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag.trim() !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return firstSupported(ranked.map((entry) => entry.tag)) ?? 'en';
}
