// DATABASE_POOL_SIZE (issue 11): how many connections a process opens to PostgreSQL.
import { describe, expect, it } from 'vitest';
import { databaseOptionsFromEnv, DEFAULT_POOL_SIZE, poolSizeFromEnv } from './index';

describe('DATABASE_POOL_SIZE', () => {
  it('sets the PostgreSQL pool (default 10); nonsense is refused naming the variable', () => {
    const url = 'postgres://kraam@127.0.0.1/kraam';
    expect(databaseOptionsFromEnv({ DATABASE_URL: url })).toEqual({
      kind: 'postgres',
      url,
      poolSize: DEFAULT_POOL_SIZE,
    });
    expect(DEFAULT_POOL_SIZE).toBe(10);
    expect(databaseOptionsFromEnv({ DATABASE_URL: url, DATABASE_POOL_SIZE: ' 4 ' })).toEqual({
      kind: 'postgres',
      url,
      poolSize: 4,
    });
    expect(poolSizeFromEnv({ DATABASE_POOL_SIZE: '1' })).toBe(1);
    expect(poolSizeFromEnv({ DATABASE_POOL_SIZE: '100' })).toBe(100);
    expect(poolSizeFromEnv({ DATABASE_POOL_SIZE: '' })).toBe(DEFAULT_POOL_SIZE);
    for (const bad of ['0', '101', '-1', '2.5', '1e2', 'ten', '4\u0000', '2147483648']) {
      expect(() => poolSizeFromEnv({ DATABASE_POOL_SIZE: bad })).toThrow(/DATABASE_POOL_SIZE/);
    }
  });
});
