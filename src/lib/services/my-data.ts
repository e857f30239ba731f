// "Download all my data" from this phone (docs/my-data.md): what the device store holds, as
// the zip of src/lib/domain/my-data.ts. Used when there is no account or no network, and for
// sales this phone has not sent yet. Read through the store's parts only, a page of sales
// at a time.
import {
  myDataZipStream,
  photoExtension,
  readAllBytes,
  type MyDataFile,
  type MyDataRow,
  type MyDataSource,
  type MyDataTable,
} from '$lib/domain/my-data';
import type { Sale } from '$lib/domain/types';
import type { DeviceStore } from '$lib/db';

/** Every table a device download has, in order (tests check each is there). */
export const DEVICE_MY_DATA_TABLES = [
  'device',
  'profile',
  'products',
  'events',
  'event_stock',
  'sales',
  'sale_lines',
  'refunds',
  'refund_lines',
  'stock_movements',
] as const;

const NOTE =
  'Everything this phone holds for your stall: what it sold (sent or not), products, events ' +
  'and stock. Amounts are in cents in the JSON files and in euros in the CSV files.';

type Store = Pick<
  DeviceStore,
  | 'deviceId'
  | 'getProfile'
  | 'listProducts'
  | 'getPhoto'
  | 'listEvents'
  | 'listEventStock'
  | 'listSales'
  | 'getSaleLines'
  | 'listRefunds'
  | 'listStockMovements'
  | 'pendingCount'
>;

const SALES_PAGE = 200;

function table(
  name: (typeof DEVICE_MY_DATA_TABLES)[number],
  pages: () => AsyncIterable<MyDataRow[]>,
): MyDataTable {
  return { name, pages };
}

export function deviceMyDataSource(store: Store, now = Date.now()): MyDataSource {
  async function* salesPages(): AsyncGenerator<Sale[]> {
    for (const event of await store.listEvents()) {
      for (let offset = 0; ; offset += SALES_PAGE) {
        const page = await store.listSales(event.id, { limit: SALES_PAGE, offset });
        yield page;
        if (page.length < SALES_PAGE) break;
      }
    }
  }
  const one = (load: () => Promise<MyDataRow[]>) =>
    async function* () {
      yield await load();
    };
  const tables: MyDataTable[] = [
    table(
      'device',
      one(async () => [{ id: await store.deviceId(), unsentChanges: await store.pendingCount() }]),
    ),
    table(
      'profile',
      one(async () => {
        const profile = await store.getProfile();
        return profile ? [{ ...profile }] : [];
      }),
    ),
    table(
      'products',
      one(async () => (await store.listProducts({ includeArchived: true })).map((p) => ({ ...p }))),
    ),
    table(
      'events',
      one(async () => (await store.listEvents()).map((e) => ({ ...e }))),
    ),
    table('event_stock', async function* () {
      for (const event of await store.listEvents()) {
        yield (await store.listEventStock(event.id)).map((s) => ({ ...s }));
      }
    }),
    table('sales', async function* () {
      for await (const page of salesPages()) yield page.map((s) => ({ ...s }));
    }),
    table('sale_lines', async function* () {
      for await (const page of salesPages()) {
        const lines: MyDataRow[] = [];
        for (const sale of page) {
          for (const line of await store.getSaleLines(sale.id)) lines.push({ ...line });
        }
        yield lines;
      }
    }),
    table('refunds', async function* () {
      for await (const page of salesPages()) {
        const rows: MyDataRow[] = [];
        for (const sale of page) {
          for (const { lines: _lines, ...refund } of await store.listRefunds(sale.id)) {
            rows.push(refund);
          }
        }
        yield rows;
      }
    }),
    table('refund_lines', async function* () {
      for await (const page of salesPages()) {
        const rows: MyDataRow[] = [];
        for (const sale of page) {
          for (const refund of await store.listRefunds(sale.id)) {
            for (const line of refund.lines) rows.push({ refundId: refund.id, ...line });
          }
        }
        yield rows;
      }
    }),
    table('stock_movements', async function* () {
      for (const event of await store.listEvents()) {
        yield (await store.listStockMovements(event.id)).map((mv) => ({ ...mv }));
      }
    }),
  ];
  async function* files(): AsyncGenerator<MyDataFile> {
    for (const product of await store.listProducts({ includeArchived: true })) {
      if (!product.photoId) continue;
      const photo = await store.getPhoto(product.photoId);
      if (!photo) continue;
      yield {
        path: `photos/products/${product.id}.${photoExtension(photo.mimeType)}`,
        bytes: new Uint8Array(await photo.blob.arrayBuffer()),
      };
    }
  }
  return {
    origin: 'device',
    exportedAt: now,
    tables: (async function* () {
      for (const t of tables) yield t;
    })(),
    files: files(),
    note: NOTE,
  };
}

/** This phone's data as one zip file (a Blob to save). */
export async function deviceMyDataZip(store: Store, now = Date.now()): Promise<Blob> {
  const bytes = await readAllBytes(myDataZipStream(deviceMyDataSource(store, now)));
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
}
