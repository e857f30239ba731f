// better-auth, configured for Kraam: email + password, sessions in our database through
// the Drizzle adapter, HttpOnly SameSite=Lax cookies (Secure on https), sign-in and
// sign-up rate-limited per client address, and the sign-up rule of accounts/signup.ts.
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { eq } from 'drizzle-orm';
import { checkSignUpAllowed, completeSignUp, signUpBodySchema } from '../accounts/signup';
import type { Db } from '../db/types';
import { account, rateLimit, session, user, verification } from '../db/schema';
import { ApiError } from '../http/errors';
import { checkInput } from '../http/input';

/** Header the hooks set from the socket (or ADDRESS_HEADER): the rate limiter's key. */
export const CLIENT_ADDRESS_HEADER = 'x-kraam-client-address';

/** Per client address: sign-in attempts allowed in a window, then 429 until it passes. */
export const SIGN_IN_RATE_LIMIT = { window: 60, max: 10 } as const;
export const SIGN_UP_RATE_LIMIT = { window: 60, max: 10 } as const;

export const PASSWORD_MIN_LENGTH = 8;
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

/** The public origin; on a developer machine localhost and 127.0.0.1 are the same server. */
function trustedOrigins(baseURL: string): string[] {
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
        if (ctx.path !== '/sign-up/email') return;
        try {
          await checkSignUpAllowed(db, parseExtras(ctx.body));
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
