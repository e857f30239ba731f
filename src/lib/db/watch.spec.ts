import { describe, expect, it } from 'vitest';
import { changedTables, changesScreens } from './watch';

describe('following the store across tabs', () => {
  it('names the tables of this database that a write changed, once each', () => {
    const keys = [
      'idb://kraam/sales/',
      'idb://kraam/sales/[eventId+receiptNumber]',
      'idb://kraam/eventStock/:dels',
      'idb://other/products/',
    ];
    expect([...changedTables(keys, 'kraam')].sort()).toEqual(['eventStock', 'sales']);
  });

  it('a sale, a pulled page or a switched event changes a screen; the outbox or the saved cart alone does not', () => {
    expect(changesScreens(['sales', 'outbox'])).toBe(true);
    expect(changesScreens(['meta'])).toBe(true);
    expect(changesScreens(['outbox'])).toBe(false);
    expect(changesScreens(['carts'])).toBe(false);
    expect(changesScreens([])).toBe(false);
  });
});
