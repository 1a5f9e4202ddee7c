import type { Queryable } from './database';
import { OUTBOX_CONNECTOR_FACTORY_ID } from './outbox';

/**
 * The sign-up and sign-in settings of the local Logto's sign-in experience, stored in
 * `emulator_meta`. Only what the sign-in pages act on; the route adds Logto's other fields.
 */
export type SignInSettings = {
  signInMode: 'SignIn' | 'Register' | 'SignInAndRegister';
  signUp: {
    identifiers: ('username' | 'email' | 'phone')[];
    password: boolean;
    verify: boolean;
    secondaryIdentifiers: { identifier: 'username' | 'email' | 'phone' | 'emailOrPhone'; verify?: boolean }[];
  };
  signIn: {
    methods: {
      identifier: 'username' | 'email' | 'phone';
      password: boolean;
      verificationCode: boolean;
      isPasswordPrimary: boolean;
    }[];
  };
};

const KEY = 'sign_in_experience';

/**
 * Logto OSS's default for a new tenant (`packages/schemas/src/seeds/sign-in-experience.ts`):
 * sign up and sign in with a username and a password, nothing verified.
 */
export const LOGTO_DEFAULT_SIGN_IN_SETTINGS: SignInSettings = {
  signInMode: 'SignInAndRegister',
  signUp: { identifiers: ['username'], password: true, verify: false, secondaryIdentifiers: [] },
  signIn: {
    methods: [{ identifier: 'username', password: true, verificationCode: false, isPasswordPrimary: true }],
  },
};

/**
 * The demo tenant's settings: email sign-up, verified, with a password, and sign-in by email (a
 * tenant set up for invitations; its people have no usernames).
 */
export const EMAIL_SIGN_UP_SETTINGS: SignInSettings = {
  signInMode: 'SignInAndRegister',
  signUp: { identifiers: ['email'], password: true, verify: true, secondaryIdentifiers: [] },
  signIn: {
    methods: [{ identifier: 'email', password: true, verificationCode: false, isPasswordPrimary: true }],
  },
};

/** The stored settings; a database seeded before they were stored gets its profile's default. */
export async function readSignInSettings(db: Queryable): Promise<SignInSettings> {
  const stored = await db.query<{ value: SignInSettings }>(`select value from emulator_meta where key = $1`, [
    KEY,
  ]);
  const value = stored.rows[0]?.value;
  if (value) return value;
  const outbox = await db.query(`select 1 from connectors where connector_id = $1`, [
    OUTBOX_CONNECTOR_FACTORY_ID,
  ]);
  return outbox.rows.length > 0 ? EMAIL_SIGN_UP_SETTINGS : LOGTO_DEFAULT_SIGN_IN_SETTINGS;
}

/** Replaces the stored settings. */
export async function writeSignInSettings(db: Queryable, settings: SignInSettings): Promise<void> {
  await db.query(
    `insert into emulator_meta (key, value) values ($1, $2)
     on conflict (key) do update set value = excluded.value`,
    [KEY, JSON.stringify(settings)],
  );
}
