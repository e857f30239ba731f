import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PERSISTENCE_SETTING } from '$lib/db';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { isUuidv7 } from '$lib/domain/ids';
import { askPersistenceAgain, completeWelcome, updateProfile, validateStallName } from './profile';

let store: MemoryDeviceStore;
beforeEach(() => {
  store = new MemoryDeviceStore();
});

describe('completeWelcome', () => {
  it('creates the profile without an account: trimmed name, cash rounding choice', async () => {
    const result = await completeWelcome(
      store,
      { stallName: '  Bakkerij Noor ', cashRounding: true },
      () => 1_750_000_000_000,
    );
    expect(result.ok).toBe(true);
    const profile = await store.getProfile();
    expect(profile).toMatchObject({
      stallName: 'Bakkerij Noor',
      cashRounding: true,
      userId: null,
      organisationId: null,
      createdAt: 1_750_000_000_000,
    });
    expect(isUuidv7(profile?.id ?? '')).toBe(true);
  });

  it.each([
    ['empty', '', 'required'],
    ['only spaces', '    ', 'required'],
    ['61 characters', 'a'.repeat(61), 'too-long'],
  ] as const)('refuses a stall name that is %s and saves nothing', async (_, stallName, error) => {
    const result = await completeWelcome(store, { stallName, cashRounding: false });
    expect(result).toEqual({ ok: false, errors: { stallName: error } });
    expect(await store.getProfile()).toBeUndefined();
  });

  it('a second start keeps the same maker (same id)', async () => {
    const first = await completeWelcome(store, { stallName: 'Noor', cashRounding: false });
    const second = await completeWelcome(store, { stallName: 'Noor & Zn', cashRounding: true });
    expect(first.ok && second.ok && second.profile.id === first.profile.id).toBe(true);
    expect((await store.getProfile())?.stallName).toBe('Noor & Zn');
  });
});

describe('validateStallName', () => {
  it('counts characters as people do: 60 Arabic letters or emoji are fine, 61 are not', () => {
    expect(validateStallName('ب'.repeat(60)).ok).toBe(true);
    expect(validateStallName('🍞'.repeat(60)).ok).toBe(true);
    expect(validateStallName('🍞'.repeat(61))).toEqual({ ok: false, error: 'too-long' });
  });
});

describe('updateProfile', () => {
  it('renames the stall and switches rounding, keeping the id', async () => {
    const created = await completeWelcome(store, { stallName: 'Noor', cashRounding: false });
    const updated = await updateProfile(store, { stallName: 'Atelier Noor', cashRounding: true });
    expect(updated.ok && created.ok && updated.profile.id).toBe(created.ok && created.profile.id);
    expect(await store.getProfile()).toMatchObject({
      stallName: 'Atelier Noor',
      cashRounding: true,
    });
  });

  it('refuses an empty name and keeps the stored one', async () => {
    await completeWelcome(store, { stallName: 'Noor', cashRounding: false });
    const result = await updateProfile(store, { stallName: '', cashRounding: true });
    expect(result.ok).toBe(false);
    expect(await store.getProfile()).toMatchObject({ stallName: 'Noor', cashRounding: false });
  });

  it('fails as not-found before the first run', async () => {
    await expect(
      updateProfile(store, { stallName: 'x', cashRounding: false }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('askPersistenceAgain', () => {
  it('asks the browser again even after a remembered "denied", and remembers the new answer', async () => {
    await store.setSetting(PERSISTENCE_SETTING, 'denied');
    const persist = vi.fn(async () => true);
    expect(await askPersistenceAgain(store, { persist })).toBe('granted');
    expect(persist).toHaveBeenCalledTimes(1);
    expect(await store.getSetting(PERSISTENCE_SETTING)).toBe('granted');
  });
});
