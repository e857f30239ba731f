// The secret that signs session cookies. BETTER_AUTH_SECRET wins; the embedded (PGlite)
// mode generates one on first start and keeps it in the data folder, so `npm start` needs
// no setup and restarts keep everyone signed in. Never a secret in the source.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE_NAME = 'auth-secret';
const MIN_SECRET_LENGTH = 32;

export interface SecretSource {
  env: NodeJS.ProcessEnv;
  /** The data folder; null when the database is PostgreSQL (no local folder to rely on). */
  dataDir: string | null;
}

export function resolveAuthSecret({ env, dataDir }: SecretSource): string {
  const fromEnv = env.BETTER_AUTH_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `BETTER_AUTH_SECRET is too short (${fromEnv.length} characters, need ${MIN_SECRET_LENGTH}+). ` +
          'Generate one with: openssl rand -base64 32',
      );
    }
    return fromEnv;
  }
  if (dataDir === null) {
    // Several servers may share one PostgreSQL: each would invent its own secret and
    // reject the others' cookies. So with DATABASE_URL the secret must be given.
    throw new Error(
      'BETTER_AUTH_SECRET is not set. With DATABASE_URL every server process must share one ' +
        'secret: generate it with `openssl rand -base64 32` and set BETTER_AUTH_SECRET.',
    );
  }
  const path = join(dataDir, SECRET_FILE_NAME);
  try {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length >= MIN_SECRET_LENGTH) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // Readable by the server's user only.
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}
