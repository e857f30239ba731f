import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { defaultVatRate } from '$lib/domain/kor';
import { completeWelcome, updateProfile } from './profile';
import { checkVatScheme, saveVatScheme, vatSchemeFormValues } from './vat-scheme';

let store: MemoryDeviceStore;
beforeEach(() => {
  store = new MemoryDeviceStore();
});

describe('checkVatScheme (the KOR question)', () => {
  it.each([
    [
      { kor: '', usualVatRate: '' },
      { ok: true, value: null },
    ],
    [
      { kor: undefined, usualVatRate: '9' },
      { ok: true, value: null },
    ],
    [
      { kor: 'yes', usualVatRate: '' },
      { ok: true, value: { kor: true } },
    ],
    [
      { kor: 'no', usualVatRate: '9' },
      { ok: true, value: { kor: false, usualVatRate: 9 } },
    ],
    [
      { kor: 'no', usualVatRate: 21 },
      { ok: true, value: { kor: false, usualVatRate: 21 } },
    ],
    [
      { kor: 'no', usualVatRate: '' },
      { ok: false, error: 'rate-required' },
    ],
    [
      { kor: 'no', usualVatRate: '0' },
      { ok: false, error: 'rate-required' },
    ],
    [
      { kor: 'no', usualVatRate: '9\u0000' },
      { ok: false, error: 'rate-required' },
    ],
    [
      { kor: 'no', usualVatRate: 2 ** 53 },
      { ok: false, error: 'rate-required' },
    ],
    [
      { kor: 'maybe', usualVatRate: '9' },
      { ok: false, error: 'kor-invalid' },
    ],
    [
      { kor: true, usualVatRate: '9' },
      { ok: false, error: 'kor-invalid' },
    ],
  ])('%j -> %j', (raw, expected) => {
    expect(checkVatScheme(raw)).toEqual(expected);
  });
});

describe('the KOR answer in the profile', () => {
  it('the welcome step stores "KOR": new products start without VAT', async () => {
    await completeWelcome(store, {
      stallName: 'Noor',
      cashRounding: false,
      vatScheme: { kor: true },
    });
    const profile = await store.getProfile();
    expect(profile).toMatchObject({ kor: true });
    expect(defaultVatRate(profile)).toBe(0);
  });

  it('the welcome step stores "no KOR, usually 9%": new products start at 9%', async () => {
    await completeWelcome(store, {
      stallName: 'Noor',
      cashRounding: false,
      vatScheme: { kor: false, usualVatRate: 9 },
    });
    const profile = await store.getProfile();
    expect(profile).toMatchObject({ kor: false, usualVatRate: 9 });
    expect(defaultVatRate(profile)).toBe(9);
  });

  it('skipping the question stores no answer (21% as before) and keeps an earlier one', async () => {
    await completeWelcome(store, { stallName: 'Noor', cashRounding: false, vatScheme: null });
    expect((await store.getProfile())?.kor).toBeUndefined();
    expect(defaultVatRate(await store.getProfile())).toBe(21);
    await saveVatScheme(store, { kor: true });
    await completeWelcome(store, { stallName: 'Noor', cashRounding: true });
    expect((await store.getProfile())?.kor).toBe(true);
  });

  it('settings change the answer; renaming the stall keeps it', async () => {
    await completeWelcome(store, { stallName: 'Noor', cashRounding: false });
    await saveVatScheme(store, { kor: false, usualVatRate: 21 });
    expect(await store.getProfile()).toMatchObject({ kor: false, usualVatRate: 21 });
    await saveVatScheme(store, { kor: true });
    const profile = await store.getProfile();
    expect(profile?.kor).toBe(true);
    expect(profile?.usualVatRate).toBeUndefined();
    await updateProfile(store, { stallName: 'Atelier Noor', cashRounding: true });
    expect((await store.getProfile())?.kor).toBe(true);
    expect(vatSchemeFormValues(await store.getProfile())).toEqual({ kor: 'yes', usualVatRate: '' });
  });

  it('fails as not-found before the first run', async () => {
    await expect(saveVatScheme(store, { kor: true })).rejects.toMatchObject({ code: 'not-found' });
  });
});
