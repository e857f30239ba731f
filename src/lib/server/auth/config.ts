// better-auth, configured for Kraam: email + password, sessions in our database through
// the Drizzle adapter, HttpOnly SameSite=Lax cookies (Secure on https), sign-in and
// sign-up rate-limited per client address, and the sign-up rule of accounts/signup.ts.
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  checkSignUpAllowed,
  completeSignUp,
  guardInvitationSignUp,
  signUpBodySchema,
} from '../accounts/signup';
import type { Db } from '../db/types';
import { account, rateLimit, session, user, verification } from '../db/schema';
import { isSafeText, UNSAFE_TEXT_CODE, UNSAFE_TEXT_MESSAGE } from '../../domain/text';
import { ApiError } from '../http/errors';
import { checkInput, type InputIssue } from '../http/input';
import { isCommonPassword, PASSWORD_TOO_COMMON } from './common-passwords';

/** Header the hooks set from the socket (or ADDRESS_HEADER): the rate limiter's key. */
export const CLIENT_ADDRESS_HEADER = 'x-kraam-client-address';

/** Per client address: sign-in attempts allowed in a window, then 429 until it passes. */
export const SIGN_IN_RATE_LIMIT = { window: 60, max: 10 } as const;
export const SIGN_UP_RATE_LIMIT = { window: 60, max: 10 } as const;

export const PASSWORD_MIN_LENGTH = 8;
/** better-auth's default, stated so the sign-up guard below checks the same bounds. */
export const PASSWORD_MAX_LENGTH = 128;
export const SESSION_DAYS = 30;

export interface AuthSettings {
  db: Db;
  secret: string;
  /** The public origin, e.g. https://kraam.example.org (ORIGIN). */
  baseURL: string;
  /** better-auth's log level (default 'warn'; tests use 'error' to keep output readable). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

type Status = ConstructorParameters<typeof APIError>[0];

/** Our ApiErrors surface through better-auth as its own error shape, same status. */
function toAuthError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  return new APIError(error.status as Status, {
    code: error.code,
    message: error.message,
    ...(error.issues ? { issues: error.issues } : {}),
  });
}

/** Kraam's sign-up fields and better-auth's text fields: 400 for the shape, 422 for a value. */
function parseExtras(body: unknown) {
  try {
    return checkInput(signUpBodySchema, body ?? {}, 'sign-up');
  } catch (error) {
    throw toAuthError(error);
  }
}

/**
 * The first place in a parsed body holding text with NUL or a lone surrogate (a string value
 * or a key), as a field path ("name", "a.0.b"); null when there is none. PostgreSQL refuses
 * NUL (better-auth would answer 500) and a lone surrogate would be stored changed (U+FFFD).
 */
export function unsafeTextField(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return isSafeText(value) ? null : path.join('.');
  if (typeof value !== 'object' || value === null || depth > 32) return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = [...path, key];
    if (!isSafeText(key)) return here.join('.');
    const found = unsafeTextField(inner, here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Refuses unsafe text anywhere in a better-auth body: 422 invalid_value naming the field. */
export function assertSafeAuthBody(body: unknown): void {
  const field = unsafeTextField(body);
  if (field === null) return;
  const issues: InputIssue[] = [
    { path: field, message: UNSAFE_TEXT_MESSAGE, code: UNSAFE_TEXT_CODE },
  ];
  throw toAuthError(
    new ApiError(
      422,
      'invalid_value',
      `The request has a value that cannot be accepted (text must be valid Unicode without NUL): ${field}.`,
      issues,
    ),
  );
}

/** Where a new password is in each better-auth route that sets one. */
const NEW_PASSWORD_FIELD: Record<string, string> = {
  '/sign-up/email': 'password',
  '/change-password': 'newPassword',
  '/reset-password': 'newPassword',
  '/set-password': 'newPassword',
};

/** Refuses the commonest passwords wherever a password is chosen (400, PASSWORD_TOO_COMMON). */
export function assertPasswordNotCommon(path: string, body: unknown): void {
  const field = NEW_PASSWORD_FIELD[path];
  if (!field || typeof body !== 'object' || body === null) return;
  const password = (body as Record<string, unknown>)[field];
  if (typeof password === 'string' && isCommonPassword(password)) {
    throw new APIError('BAD_REQUEST', { ...PASSWORD_TOO_COMMON });
  }
}

/**
 * The e-mail better-auth will look up for this sign-up body, or null when it refuses the body
 * before looking (its own checks, in its order: a valid e-mail, a password of allowed length).
 */
export function signUpLookupEmail(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { email, password } = body as Record<string, unknown>;
  if (typeof email !== 'string' || !z.email().safeParse(email).success) return null;
  if (typeof password !== 'string') return null;
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) return null;
  return email;
}

/** The public origin; on a developer machine localhost and 127.0.0.1 are the same server. */
export function trustedOrigins(baseURL: string): string[] {
  const url = new URL(baseURL);
  if (url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') return [url.origin];
  const port = url.port ? `:${url.port}` : '';
  return [`${url.protocol}//localhost${port}`, `${url.protocol}//127.0.0.1${port}`];
}

export function authOptions({ db, secret, baseURL, logLevel = 'warn' }: AuthSettings) {
  const secure = baseURL.startsWith('https:');
  return {
    appName: 'Kraam',
    logger: { level: logLevel },
    baseURL,
    basePath: '/api/auth',
    secret,
    trustedOrigins: trustedOrigins(baseURL),
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user, session, account, verification, rateLimit },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      autoSignIn: true,
    },
    session: {
      expiresIn: SESSION_DAYS * 24 * 3600,
      // Refresh the expiry at most daily: a till that syncs all day stays signed in.
      updateAge: 24 * 3600,
    },
    rateLimit: {
      enabled: true,
      storage: 'database' as const,
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': SIGN_IN_RATE_LIMIT,
        '/sign-up/email': SIGN_UP_RATE_LIMIT,
      },
    },
    advanced: {
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' as const, secure },
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        assertSafeAuthBody(ctx.body);
        assertPasswordNotCommon(ctx.path, ctx.body);
        if (ctx.path !== '/sign-up/email') return;
        try {
          const extras = parseExtras(ctx.body);
          await checkSignUpAllowed(db, extras);
          // Through an invitation a taken e-mail is answered here, counted and timed like a
          // new account (accounts/signup.ts); a new one goes on to better-auth.
          if (extras.invitationToken) {
            const body = ctx.body as { password?: unknown };
            await guardInvitationSignUp(
              db,
              extras.invitationToken,
              signUpLookupEmail(ctx.body),
              () => ctx.context.password.hash(String(body.password)),
            );
          }
        } catch (error) {
          throw toAuthError(error);
        }
      }),
    },
    databaseHooks: {
      user: {
        create: {
          after: async (created: { id: string }, ctx: { body?: unknown } | null) => {
            try {
              await completeSignUp(db, created.id, parseExtras(ctx?.body));
            } catch (error) {
              // The user row exists already (better-auth wrote it): remove it so a lost race
              // or a just-expired invitation leaves nothing behind.
              await db.delete(user).where(eq(user.id, created.id));
              throw toAuthError(error);
            }
          },
        },
      },
    },
  };
}

export function createAuth(settings: AuthSettings) {
  return betterAuth(authOptions(settings));
}

export type Auth = ReturnType<typeof createAuth>;
