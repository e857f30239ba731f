// The server's better-auth instance, built once from the environment and the database.
import { dataDir, getDb, getDbKind } from '../db';
import { createAuth, type Auth } from './config';
import { resolveAuthSecret } from './secret';

export {
  CLIENT_ADDRESS_HEADER,
  PASSWORD_MIN_LENGTH,
  SIGN_IN_RATE_LIMIT,
  SIGN_UP_RATE_LIMIT,
  createAuth,
  trustedOrigins,
  type Auth,
} from './config';
export { requireMembership, requireRole, requireUser } from './guards';
export {
  ANONYMOUS,
  loadRequestAuth,
  readsMemberships,
  type RequestAuth,
  type SessionInfo,
  type SessionUser,
} from './session';

/** The public origin: ORIGIN (adapter-node's), else the local dev/preview address. */
export function publicOrigin(env: NodeJS.ProcessEnv = process.env): string {
  return env.ORIGIN || `http://localhost:${env.PORT || 5173}`;
}

let instance: Promise<Auth> | null = null;
let key: Promise<string> | null = null;

/**
 * The key invitation tokens are derived with (accounts/invitations.ts): the auth secret,
 * which is not in the database, so the database alone holds no working link.
 */
export function linkKey(): Promise<string> {
  key ??= (async () => {
    const embedded = (await getDbKind()) === 'pglite';
    return resolveAuthSecret({ env: process.env, dataDir: embedded ? dataDir() : null });
  })();
  void key.catch(() => (key = null));
  return key;
}

export function getAuth(): Promise<Auth> {
  instance ??= (async () => {
    const db = await getDb();
    const embedded = (await getDbKind()) === 'pglite';
    const secret = resolveAuthSecret({ env: process.env, dataDir: embedded ? dataDir() : null });
    return createAuth({ db, secret, baseURL: publicOrigin() });
  })();
  void instance.catch(() => (instance = null));
  return instance;
}
