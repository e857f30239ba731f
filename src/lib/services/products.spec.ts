import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreError } from '$lib/db/device-store';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { createHlc } from '$lib/domain/clock';
import { isUuidv7 } from '$lib/domain/ids';
import { parseMoneyInput } from '$lib/domain/money';
import { PhotoError, type PreparedPhoto } from './photos';
import {
  archiveProduct,
  loadProductForEdit,
  newProductColour,
  productFormValues,
  saveProduct,
  type ProductFormInput,
  type SaveProductOptions,
} from './products';

const MAKER = '01900000-0000-7000-8000-000000000001';
const EVENT = '01900000-0000-7000-8000-0000000000e1';

function input(overrides: Partial<ProductFormInput> = {}): ProductFormInput {
  return {
    name: 'Desem brood',
    price: '3,50',
    vatRate: 9,
    stock: '',
    colour: 'saffron',
    category: 'Brood',
    ...overrides,
  };
}

const fakePhoto: PreparedPhoto = {
  blob: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/webp' }),
  mimeType: 'image/webp',
  width: 512,
  height: 384,
};

let store: MemoryDeviceStore;
let options: SaveProductOptions;

beforeEach(() => {
  store = new MemoryDeviceStore();
  const clock = createHlc('device-a', () => 1_750_000_000_000);
  options = {
    makerId: MAKER,
    nextHlc: () => clock.now(),
    now: () => 1_750_000_000_000,
    preparePhoto: vi.fn(async () => fakePhoto),
  };
});

async function nothingSaved(): Promise<void> {
  expect(await store.listProducts({ includeArchived: true })).toEqual([]);
  expect(await store.pendingCount()).toBe(0);
  expect(store.backing.photos.size).toBe(0);
}

describe('saveProduct', () => {
  it('adds a product with the price incl. VAT in cents and queues it for sync', async () => {
    const result = await saveProduct(store, input(), options);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(isUuidv7(result.product.id)).toBe(true);
    expect(result.product).toMatchObject({
      makerId: MAKER,
      name: 'Desem brood',
      priceCents: 350,
      vatRate: 9,
      colour: 'saffron',
      category: 'Brood',
      archived: false,
      photoId: null,
    });
    expect(await store.getProduct(result.product.id)).toEqual(result.product);
    const [entry] = await store.readOutbox(10);
    expect(entry?.mutation.type).toBe('product.upsert');
  });

  it('reads 3,50 and 3.50 as the same price', async () => {
    const comma = await saveProduct(store, input({ price: '3,50' }), options);
    const dot = await saveProduct(store, input({ price: '3.50' }), options);
    expect(comma.ok && comma.product.priceCents).toBe(350);
    expect(dot.ok && dot.product.priceCents).toBe(350);
  });

  it.each([
    ['empty name', { name: '   ' }, 'name', 'required'],
    ['name over 60 characters', { name: 'x'.repeat(61) }, 'name', 'too-long'],
    ['empty price', { price: '' }, 'price', 'required'],
    ['negative price', { price: '-2,00' }, 'price', 'negative'],
    ['non-numeric price', { price: 'drie euro' }, 'price', 'not-a-number'],
    ['three decimals', { price: '3,505' }, 'price', 'too-many-decimals'],
    ['unknown VAT rate', { vatRate: 15 }, 'vatRate', 'invalid-rate'],
    ['category over 40 characters', { category: 'c'.repeat(41) }, 'category', 'too-long'],
  ] as const)('refuses %s beside the field and saves nothing', async (_, bad, field, code) => {
    const result = await saveProduct(store, input(bad), { ...options, eventId: EVENT });
    expect(result).toEqual({ ok: false, errors: { [field]: code } });
    await nothingSaved();
  });

  it.each([
    ['1.5', 'not-whole'],
    ['-2', 'negative'],
    ['veel', 'not-a-number'],
  ] as const)(
    'refuses stock %s (whole number >= 0 only) and saves nothing',
    async (stock, code) => {
      const result = await saveProduct(store, input({ stock }), { ...options, eventId: EVENT });
      expect(result).toEqual({ ok: false, errors: { stock: code } });
      await nothingSaved();
      expect(await store.listEventStock(EVENT)).toEqual([]);
    },
  );

  it('reports every bad field at once', async () => {
    const result = await saveProduct(store, input({ name: '', price: 'abc', stock: '-1' }), {
      ...options,
      eventId: EVENT,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(['name', 'price', 'stock']);
  });

  it('refuses a 5 MB file that is not an image without decoding it, and saves nothing', async () => {
    const pdf = new Blob([new Uint8Array(5 * 1024 * 1024)], { type: 'application/pdf' });
    const result = await saveProduct(store, input(), { ...options, photo: pdf });
    expect(result).toEqual({ ok: false, errors: { photo: 'not-image' } });
    expect(options.preparePhoto).not.toHaveBeenCalled();
    await nothingSaved();
  });

  it('refuses an image over 10 MB and saves nothing', async () => {
    const big = new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: 'image/jpeg' });
    const result = await saveProduct(store, input(), { ...options, photo: big });
    expect(result).toEqual({ ok: false, errors: { photo: 'too-large' } });
    await nothingSaved();
  });

  it('refuses a file that claims to be an image but does not decode, and saves nothing', async () => {
    const fake = new Blob(['not really a png'], { type: 'image/png' });
    const result = await saveProduct(store, input(), {
      ...options,
      photo: fake,
      preparePhoto: async () => {
        throw new PhotoError('unreadable');
      },
    });
    expect(result).toEqual({ ok: false, errors: { photo: 'unreadable' } });
    await nothingSaved();
  });

  it('stores the downscaled photo with the product, in the same write', async () => {
    const file = new Blob([new Uint8Array(2000)], { type: 'image/jpeg' });
    const result = await saveProduct(store, input(), { ...options, photo: file });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(options.preparePhoto).toHaveBeenCalledWith(file);
    const photoId = result.product.photoId;
    expect(photoId).not.toBeNull();
    const stored = await store.getPhoto(photoId ?? '');
    expect(stored).toMatchObject({ width: 512, height: 384, mimeType: 'image/webp' });
    expect(await store.pendingCount()).toBe(1);
  });

  it('an edit keeps id, creation time, archive state and photo; removePhoto drops the photo', async () => {
    const file = new Blob([new Uint8Array(10)], { type: 'image/png' });
    const first = await saveProduct(store, input(), { ...options, photo: file });
    if (!first.ok) throw new Error('setup failed');
    await archiveProduct(store, first.product.id, true, options);
    const edited = await saveProduct(store, input({ name: 'Spelt brood', price: '4' }), {
      ...options,
      id: first.product.id,
      now: () => 1_750_000_100_000,
    });
    if (!edited.ok) throw new Error('edit failed');
    expect(edited.product).toMatchObject({
      id: first.product.id,
      createdAt: first.product.createdAt,
      updatedAt: 1_750_000_100_000,
      archived: true,
      photoId: first.product.photoId,
      name: 'Spelt brood',
      priceCents: 400,
    });
    const removed = await saveProduct(store, input(), {
      ...options,
      id: first.product.id,
      removePhoto: true,
    });
    expect(removed.ok && removed.product.photoId).toBeNull();
    expect(await store.listProducts({ includeArchived: true })).toHaveLength(1);
  });

  it('editing a product that is not on the device fails as not-found', async () => {
    await expect(
      saveProduct(store, input(), { ...options, id: '01900000-0000-7000-8000-00000000dead' }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('sets, changes and clears the opening stock at the current event', async () => {
    const created = await saveProduct(store, input({ stock: '12' }), {
      ...options,
      eventId: EVENT,
    });
    if (!created.ok) throw new Error('setup failed');
    const id = created.product.id;
    expect(await store.listEventStock(EVENT)).toMatchObject([
      { productId: id, openingCount: 12, level: 12 },
    ]);
    await saveProduct(store, input({ stock: '20' }), { ...options, id, eventId: EVENT });
    expect((await loadProductForEdit(store, id, EVENT))?.stock).toBe(20);
    await saveProduct(store, input({ stock: '' }), { ...options, id, eventId: EVENT });
    expect(await store.listEventStock(EVENT)).toEqual([]);
  });

  it('does not write a stock movement when the count did not change', async () => {
    const created = await saveProduct(store, input({ stock: '5' }), { ...options, eventId: EVENT });
    if (!created.ok) throw new Error('setup failed');
    const before = await store.pendingCount();
    await saveProduct(store, input({ stock: '5' }), {
      ...options,
      id: created.product.id,
      eventId: EVENT,
    });
    // Only the product edit is queued, no recount.
    expect(await store.pendingCount()).toBe(before + 1);
  });

  it('refuses a stock count when no event is current (there is nowhere to keep it)', async () => {
    const result = await saveProduct(store, input({ stock: '3' }), { ...options, eventId: null });
    expect(result).toEqual({ ok: false, errors: { stock: 'no-event' } });
    await nothingSaved();
  });

  it('a failing write (storage full) rejects with a StoreError and leaves nothing', async () => {
    store.failNextWrite(new DOMException('full', 'QuotaExceededError'));
    const error = await saveProduct(store, input(), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('quota');
    await nothingSaved();
  });
});

describe('archiveProduct', () => {
  it('hides a product from the till list and restores it', async () => {
    const created = await saveProduct(store, input(), options);
    if (!created.ok) throw new Error('setup failed');
    await archiveProduct(store, created.product.id, true, options);
    expect(await store.listProducts()).toEqual([]);
    expect(await store.listProducts({ includeArchived: true })).toHaveLength(1);
    await archiveProduct(store, created.product.id, false, options);
    expect((await store.listProducts()).map((p) => p.id)).toEqual([created.product.id]);
  });

  it('fails as not-found for an unknown product', async () => {
    await expect(archiveProduct(store, 'nope', true, options)).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

describe('productFormValues', () => {
  it('writes the price the way the locale types it, and it parses back to the same cents', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.constantFrom(',', '.'),
        (cents, sep) => {
          const values = productFormValues(
            {
              id: 'p',
              makerId: MAKER,
              name: 'x',
              priceCents: cents,
              vatRate: 21,
              photoId: null,
              colour: 'teal',
              category: '',
              archived: false,
              createdAt: 0,
              updatedAt: 0,
            },
            null,
            sep,
          );
          expect(values.price.includes(sep)).toBe(true);
          expect(parseMoneyInput(values.price)).toEqual({ ok: true, cents });
        },
      ),
      { seed: 20261128, numRuns: 300 },
    );
  });

  it('starts a new product empty, 21% VAT, stock not tracked', () => {
    expect(productFormValues()).toMatchObject({ name: '', price: '', vatRate: 21, stock: '' });
    expect(productFormValues(undefined, 7).stock).toBe('7');
  });

  it("starts a new product at the maker's default rate (KOR: none), an existing one at its own", () => {
    expect(productFormValues(undefined, null, ',', 'teal', 0).vatRate).toBe(0);
    expect(productFormValues(undefined, null, ',', 'teal', 9).vatRate).toBe(9);
    const product = {
      id: 'p',
      makerId: MAKER,
      name: 'x',
      priceCents: 100,
      vatRate: 21,
      photoId: null,
      colour: 'teal',
      category: '',
      archived: false,
      createdAt: 0,
      updatedAt: 0,
    } as const;
    expect(productFormValues(product, null, ',', 'teal', 0).vatRate).toBe(21);
  });
});

describe('newProductColour', () => {
  it('a new product starts with the next colour no product on sale uses (archived ones do not count)', async () => {
    expect(await newProductColour(store)).toBe('terracotta');
    const first = await saveProduct(
      store,
      input({ colour: await newProductColour(store) }),
      options,
    );
    const second = await saveProduct(
      store,
      input({ name: 'Taart', colour: await newProductColour(store) }),
      options,
    );
    if (!first.ok || !second.ok) throw new Error('fixture');
    expect([first.product.colour, second.product.colour]).toEqual(['terracotta', 'saffron']);
    expect(await newProductColour(store)).toBe('olive');
    await archiveProduct(store, first.product.id, true, options);
    expect(await newProductColour(store)).toBe('terracotta');
    expect(productFormValues(undefined, null, ',', 'plum').colour).toBe('plum');
  });
});
