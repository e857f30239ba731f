import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { updateBusinessNumbers } from './business-numbers';
import { completeWelcome } from './profile';

let store: MemoryDeviceStore;
beforeEach(() => {
  store = new MemoryDeviceStore();
});

describe('updateBusinessNumbers', () => {
  it('stores both numbers in their bare form, keeping the rest of the profile', async () => {
    await completeWelcome(store, { stallName: 'Noor', cashRounding: true });
    const result = await updateBusinessNumbers(store, {
      kvkNumber: '1234 5678',
      vatNumber: 'nl123456789b01',
    });
    expect(result.ok).toBe(true);
    expect(await store.getProfile()).toMatchObject({
      stallName: 'Noor',
      cashRounding: true,
      kvkNumber: '12345678',
      vatNumber: 'NL123456789B01',
    });
  });

  it('empty fields clear the numbers', async () => {
    await completeWelcome(store, { stallName: 'Noor', cashRounding: false });
    await updateBusinessNumbers(store, { kvkNumber: '12345678', vatNumber: '' });
    await updateBusinessNumbers(store, { kvkNumber: ' ', vatNumber: '' });
    expect(await store.getProfile()).toMatchObject({ kvkNumber: null, vatNumber: null });
  });

  it('refuses a malformed number, naming the field, and stores nothing', async () => {
    await completeWelcome(store, { stallName: 'Noor', cashRounding: false });
    await updateBusinessNumbers(store, { kvkNumber: '12345678', vatNumber: '' });
    const result = await updateBusinessNumbers(store, {
      kvkNumber: '1234',
      vatNumber: 'NL123B01',
    });
    expect(result).toEqual({
      ok: false,
      errors: { kvkNumber: 'kvk-format', vatNumber: 'vat-format' },
    });
    expect(await store.getProfile()).toMatchObject({ kvkNumber: '12345678', vatNumber: null });
  });

  it('fails as not-found before the first run', async () => {
    await expect(
      updateBusinessNumbers(store, { kvkNumber: '', vatNumber: '' }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});
