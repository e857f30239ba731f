import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open';
import { postgresArguments, splitSocketFolder } from './postgres-url.js';
import { queryRows } from './rows';
import { createPostgresDatabase, testDbKinds } from './testing';

describe('a DATABASE_URL naming a Unix socket, as libpq reads it', () => {
  it('takes the socket’s folder out of the URL, with or without a host name, and keeps the rest', () => {
    expect(splitSocketFolder('postgres://kraam@/kraam?host=/var/run/postgresql')).toEqual({
      url: 'postgres://kraam@localhost/kraam',
      socketFolder: '/var/run/postgresql',
    });
    expect(
      splitSocketFolder('postgresql://kraam:s%40cret@:5433/kraam?sslmode=disable&host=%2Ftmp%2Fpg'),
    ).toEqual({
      url: 'postgresql://kraam:s%40cret@localhost:5433/kraam?sslmode=disable',
      socketFolder: '/tmp/pg',
    });
    expect(splitSocketFolder('postgres://kraam@db.example:5432/kraam?host=/tmp/pg')).toEqual({
      url: 'postgres://kraam@db.example:5432/kraam',
      socketFolder: '/tmp/pg',
    });
  });

  it('leaves a TCP URL as it is, a host in the query that is no folder included', () => {
    for (const url of [
      'postgres://kraam@127.0.0.1:5432/kraam',
      'postgres://kraam@db.example/kraam?sslmode=require',
      'postgres://kraam@localhost/kraam?host=db.example',
    ]) {
      expect(splitSocketFolder(url)).toEqual({ url, socketFolder: null });
      expect(postgresArguments(url, { max: 1 })).toEqual([url, { max: 1 }]);
    }
  });
});

// The server's own socket, found through TEST_DATABASE_URL (TCP): the server opened on a
// DATABASE_URL that names the socket's folder connects through it (no client address).
describe.each(testDbKinds().filter((kind) => kind === 'postgres'))(
  'the server on a Unix socket (%s)',
  () => {
    it('opens and migrates a database through the socket its URL names: the server sees no client address', async () => {
      const database = await createPostgresDatabase();
      try {
        const tcp = postgres(database.url, { max: 1, onnotice: () => {} });
        let folder = '';
        let port = '';
        try {
          const [row] = await tcp<{ folders: string; port: string }[]>`
            select current_setting('unix_socket_directories') as folders,
              current_setting('port') as port`;
          folder = row!.folders.split(',')[0]!.trim();
          port = row!.port;
        } finally {
          await tcp.end({ timeout: 5 });
        }
        const { username, pathname } = new URL(database.url);
        const url = `postgres://${username}@:${port}${pathname}?host=${encodeURIComponent(folder)}`;
        const opened = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
        try {
          const rows = await queryRows(
            opened.db,
            sql`select inet_client_addr()::text as address,
              (select count(*)::int from server_meta where key = 'epoch') as epochs`,
          );
          expect(rows).toEqual([{ address: null, epochs: 1 }]);
        } finally {
          await opened.close();
        }
      } finally {
        await database.drop();
      }
    }, 60_000);
  },
);
