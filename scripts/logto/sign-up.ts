/**
 * The part of Logto's sign-in experience that decides whether an invitee without an account can
 * join: the sign-up identifiers, verification, and whether sign-up is open at all. Pure: the
 * doctor reads the tenant and asks {@link assessSignUp}; bootstrap asks {@link planSignUp} for the
 * one change it offers behind `--configure-sign-up`.
 */

type Identifier = 'username' | 'email' | 'phone';

/** What the portal reads of `GET /api/sign-in-exp`. */
export type SignInExperienceSnapshot = {
  signInMode: 'SignIn' | 'Register' | 'SignInAndRegister';
  signUp: {
    identifiers: Identifier[];
    password: boolean;
    verify: boolean;
    secondaryIdentifiers?: { identifier: Identifier | 'emailOrPhone'; verify?: boolean }[];
  };
  signIn: {
    methods: {
      identifier: Identifier;
      password: boolean;
      verificationCode: boolean;
      isPasswordPrimary: boolean;
    }[];
  };
};

/** Why sign-up does not give invitees an account that can accept. */
export type SignUpGap =
  /** Sign-up is closed (sign-in only). A tenant choice bootstrap leaves alone. */
  | 'registration-disabled'
  /** Email sign-up needs an email connector to send the verification code. */
  | 'email-connector'
  /** Sign-up does not ask for an email (Logto's default: username only). */
  | 'sign-up-identifiers';

export type SignUpAssessment =
  | { ok: true; message: string }
  | {
      ok: false;
      gap: SignUpGap;
      message: string;
      /** What the deployer must do by hand first, if anything. */
      manualFix?: string;
      /** Whether `logto:bootstrap --configure-sign-up` then completes the fix. */
      isBootstrapFix: boolean;
    };

const describeIdentifiers = (identifiers: Identifier[]) =>
  identifiers.length === 0 ? 'no identifier' : identifiers.join(' or ');

/** True when sign-up collects a verified email, as primary or secondary identifier. */
function collectsVerifiedEmail(signUp: SignInExperienceSnapshot['signUp']): boolean {
  if (signUp.identifiers.includes('email')) return signUp.verify;
  return (signUp.secondaryIdentifiers ?? []).some(
    (item) => (item.identifier === 'email' || item.identifier === 'emailOrPhone') && item.verify === true,
  );
}

const CONNECTOR_FIX =
  'add an email connector in Logto Console → Connectors → Email and SMS (Logto sends the sign-up verification code through it)';

/**
 * Whether an invitee without an account can create one that accepts an email invitation: sign-up
 * is open, collects the email, verifies it, and the tenant has the email connector to verify with.
 */
export function assessSignUp(
  experience: SignInExperienceSnapshot,
  o: { hasEmailConnector: boolean },
): SignUpAssessment {
  const { signUp, signInMode } = experience;
  if (signInMode === 'SignIn') {
    return {
      ok: false,
      gap: 'registration-disabled',
      message:
        'sign-up is turned off (sign-in only): an invitee without an account cannot create one, so only people who already have an account can accept.',
      manualFix:
        'if invitees should create accounts, choose "Sign-in and sign-up" in Logto Console → Sign-in experience → Sign-up and sign-in',
      isBootstrapFix: true,
    };
  }
  if (!collectsVerifiedEmail(signUp)) {
    return {
      ok: false,
      gap: o.hasEmailConnector ? 'sign-up-identifiers' : 'email-connector',
      message: `sign-up asks for ${describeIdentifiers(signUp.identifiers)}${signUp.identifiers.includes('email') ? ' without verifying it' : ''}: an invitee without an account makes one with no verified email, and the portal cannot let that account accept an invitation.`,
      ...(o.hasEmailConnector ? {} : { manualFix: CONNECTOR_FIX }),
      isBootstrapFix: true,
    };
  }
  if (!o.hasEmailConnector) {
    return {
      ok: false,
      gap: 'email-connector',
      message:
        'sign-up asks for a verified email, but the tenant has no email connector: Logto cannot send the code, so nobody can finish signing up.',
      manualFix: CONNECTOR_FIX,
      isBootstrapFix: false,
    };
  }
  return {
    ok: true,
    message:
      'sign-up asks for an email and verifies it through the email connector: invitees without an account can create one with the invited email.',
  };
}

/** The `PATCH /api/sign-in-exp` body bootstrap sends, and how it reads in its output. */
export type SignUpChange = {
  body: Pick<SignInExperienceSnapshot, 'signUp' | 'signIn'>;
  description: string;
};

/**
 * The smallest change that lets invitees sign up with their email: email becomes the primary
 * sign-up identifier, verified, with a password; a username the tenant asked for stays asked
 * (as a secondary identifier); email + password is added to the sign-in methods if missing.
 * `undefined` when there is nothing to change. Needs an email connector (Logto refuses email
 * sign-up without one: `sign_in_experiences.enabled_connector_not_found`).
 */
export function planSignUp(experience: SignInExperienceSnapshot): SignUpChange | undefined {
  if (collectsVerifiedEmail(experience.signUp)) return undefined;
  const { signUp, signIn } = experience;
  const hadUsername = signUp.identifiers.includes('username');
  const identifiers: Identifier[] = [
    ...signUp.identifiers.filter((item) => item !== 'username' && item !== 'email'),
    'email',
  ];
  const secondaryIdentifiers = [
    ...(hadUsername ? [{ identifier: 'username' as const }] : []),
    ...(signUp.secondaryIdentifiers ?? []).filter(
      (item) =>
        item.identifier !== 'email' &&
        item.identifier !== 'emailOrPhone' &&
        !(hadUsername && item.identifier === 'username'),
    ),
  ];
  const hasEmailSignIn = signIn.methods.some((method) => method.identifier === 'email');
  const methods = hasEmailSignIn
    ? signIn.methods
    : [
        ...signIn.methods,
        { identifier: 'email' as const, password: true, verificationCode: false, isPasswordPrimary: true },
      ];
  const parts = [
    `sign-up identifier ${describeIdentifiers(identifiers)} (verified, with a password)`,
    ...(hadUsername ? ['username still asked as a second identifier'] : []),
    ...(hasEmailSignIn ? [] : ['sign-in with email and password added']),
  ];
  return {
    body: {
      signUp: { identifiers, password: true, verify: true, secondaryIdentifiers },
      signIn: { methods },
    },
    description: parts.join('; '),
  };
}
