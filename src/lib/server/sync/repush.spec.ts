// The epoch re-push (SPEC.md, the epoch rule) sends every product whole: each field must carry
// the clock of its value, so a device that was behind cannot overwrite a newer value [G6].
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateServerEpoch } from '$lib/server/db';
import { products } from '$lib/server/db/schema';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { TestDevice } from '$lib/sync/testing/device';
import { createInProcessTransport } from './in-process-transport';
import { createUser } from './testing';

describe.each(testDbKinds())('re-push after an epoch change on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function twoDevices() {
    const userId = await createUser(t.db);
    const transport = createInProcessTransport({ db: t.db, userId: () => userId });
    const phone = await TestDevice.create({ transport });
    const tablet = await TestDevice.create({ transport, makerId: phone.makerId });
    const bread = await phone.addProduct({ name: 'Brood', priceCents: 350 });
    const event = await phone.addEvent();
    await phone.settle();
    await tablet.settle();
    expect(await tablet.store.getProduct(bread.id)).toMatchObject({ priceCents: 350 });
    return { phone, tablet, bread, event };
  }

  async function serverPrice(id: string) {
    const [row] = await t.db
      .select({ priceCents: products.priceCents, name: products.name })
      .from(products)
      .where(eq(products.id, id));
    return row;
  }

  it('[G6] a device behind re-pushes after an epoch change: the newer price made elsewhere wins (999 stays)', async () => {
    const { phone, tablet, bread, event } = await twoDevices();
    // The tablet raises the price; the phone never hears of it (it stays behind).
    await tablet.editProduct(bread, { priceCents: 999 });
    await tablet.settle();
    await phone.sell(event.id, [{ product: bread }]);
    await rotateServerEpoch(t.db);
    // Both re-push everything they know; the one that was behind comes last.
    await tablet.settle();
    await phone.settle();
    await tablet.settle();
    expect(await serverPrice(bread.id)).toMatchObject({ priceCents: 999 });
    for (const device of [phone, tablet]) {
      expect(await device.store.getProduct(bread.id)).toMatchObject({ priceCents: 999 });
    }
  });

  it('[G6] a re-push keeps a field the device edited itself later: per field, the newer clock wins', async () => {
    const { phone, tablet, bread } = await twoDevices();
    await tablet.editProduct(bread, { priceCents: 999 });
    await tablet.settle();
    // Later, offline and still behind on the price, the phone renames the product.
    const renamed = await phone.editProduct(bread, { name: 'Desembrood' });
    await rotateServerEpoch(t.db);
    await tablet.settle();
    await phone.settle();
    await tablet.settle();
    expect(await serverPrice(bread.id)).toEqual({ priceCents: 999, name: 'Desembrood' });
    for (const device of [phone, tablet]) {
      expect(await device.store.getProduct(renamed.id)).toMatchObject({
        priceCents: 999,
        name: 'Desembrood',
      });
    }
  });
});
