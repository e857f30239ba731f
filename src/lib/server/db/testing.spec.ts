import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServerEpoch, rotateServerEpoch } from './migrate';
import { queryRows } from './rows';
import { organisations } from './schema';
import { createTestDb, testDbKinds, type TestDb } from './testing';

describe('testDbKinds', () => {
  it('always includes pglite, adds postgres when TEST_DATABASE_URL is set', () => {
    expect(testDbKinds({})).toEqual(['pglite']);
    expect(testDbKinds({ TEST_DATABASE_URL: 'postgres://x/y' })).toEqual(['pglite', 'postgres']);
  });

  it('refuses to skip PostgreSQL silently when REQUIRE_POSTGRES=1', () => {
    expect(() => testDbKinds({ REQUIRE_POSTGRES: '1' })).toThrow(/TEST_DATABASE_URL/);
  });
});

describe.each(testDbKinds())('createTestDb on %s', (kind) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb(kind);
  });
  afterAll(async () => {
    await testDb?.close();
  });

  it('is migrated and writable', async () => {
    await testDb.db.insert(organisations).values({ name: 'Stichting Test' });
    const rows = await testDb.db.select().from(organisations);
    expect(rows.map((r) => r.name)).toEqual(['Stichting Test']);
  });

  it('has a server epoch made at first migration, stable until rotated', async () => {
    const epoch = await getServerEpoch(testDb.db);
    expect(epoch).toMatch(/^[0-9a-f-]{36}$/);
    expect(await getServerEpoch(testDb.db)).toBe(epoch);
    const rotated = await rotateServerEpoch(testDb.db);
    expect(rotated).not.toBe(epoch);
    expect(await getServerEpoch(testDb.db)).toBe(rotated);
  });

  it('gives every call its own empty database', async () => {
    const other = await createTestDb(kind);
    try {
      const rows = await queryRows<{ n: number }>(
        other.db,
        sql`select count(*)::int as n from organisations`,
      );
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await other.close();
    }
  });
});
