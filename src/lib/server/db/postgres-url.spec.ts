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

describe('libpq’s connection keywords in the query of a DATABASE_URL', () => {
  it('are read as libpq reads them (the query over the rest), not sent on to the server as settings', () => {
    // pg_dump and pg_restore (scripts/db.js) get the URL as it is: the server must reach the
    // same port, database and role as they do, not the defaults (a port of 5432, another
    // cluster's socket) or a startup setting the server refuses.
    expect(
      postgresArguments(
        'postgres://kraam@/kraam?host=/var/run/postgresql&port=5433&application_name=kraam',
        { max: 1 },
      ),
    ).toEqual([
      'postgres://kraam@localhost/kraam?application_name=kraam',
      { max: 1, host: '/var/run/postgresql', port: 5433 },
    ]);
    expect(
      postgresArguments(
        'postgres://kraam:old@db.example:5432/kraam?dbname=kraam_live&user=till&password=s%26cret&port=6432',
        { max: 2 },
      ),
    ).toEqual([
      'postgres://kraam:old@db.example:5432/kraam',
      { max: 2, port: 6432, database: 'kraam_live', username: 'till', password: 's&cret' },
    ]);
  });

  it('takes the last of a keyword given twice, as libpq does (pg_dump and the server reach the same socket)', () => {
    expect(
      postgresArguments('postgres://kraam@/kraam?host=/tmp/a&port=5433&host=/tmp/b&port=5434', {
        max: 1,
      }),
    ).toEqual(['postgres://kraam@localhost/kraam', { max: 1, host: '/tmp/b', port: 5434 }]);
  });

  it('refuses a port that is no port number, naming it', () => {
    for (const port of ['abc', '0', '65536', '5432x', '']) {
      expect(() =>
        postgresArguments(`postgres://kraam@/kraam?host=/tmp&port=${port}`, { max: 1 }),
      ).toThrow(`DATABASE_URL: port "${port}" is not a port number`);
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
        // The port after the host name, and (libpq's other form) in the query beside the folder.
        for (const url of [
          `postgres://${username}@:${port}${pathname}?host=${encodeURIComponent(folder)}`,
          `postgres://${username}@${pathname}?host=${encodeURIComponent(folder)}&port=${port}`,
        ]) {
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
        }
      } finally {
        await database.drop();
      }
    }, 60_000);
  },
);
