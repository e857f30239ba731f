// Fixtures for the auth specs: better-auth's real handler on a test database. Test code only.
import type { Db } from '../db/types';
import { createAuth, type Auth } from './config';

/** Where the specs' requests come from, and where the server believes it is. */
export const ORIGIN = 'http://localhost';
/** A password the sign-up rules accept. */
export const PASSWORD = 'correct horse battery';

/** The auth server as the app makes it, on `db`, logging only errors. */
export function createTestAuth(db: Db): Auth {
  return createAuth({ db, secret: 's'.repeat(32), baseURL: ORIGIN, logLevel: 'error' });
}
