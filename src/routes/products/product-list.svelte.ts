import { storeErrorCode } from '$lib/components/store-error';
import type { StoreErrorCode } from '$lib/db/device-store';
import { stockedInByProduct, stockState, type StockState } from '$lib/domain/stock';
import type { Id, Product } from '$lib/domain/types';
import { app } from '$lib/state/app.svelte';

/** A confirmation carried from the form to the list ("Brood was saved."), shown once. */
export const listNotice = $state({ message: '' });

/**
 * The product list: the maker's products (archived ones on request) and object URLs for
 * their stored photos, revoked when the list is left so blobs are not kept alive.
 */
export class ProductListState {
  products = $state.raw<Product[]>([]);
  photos = $state.raw<Record<Id, string>>({});
  /** What is left of each product kept in stock at the current event. */
  stock = $state.raw<Record<Id, StockState>>({});
  showArchived = $state(false);
  loaded = $state(false);
  failure = $state<StoreErrorCode | null>(null);

  async load(): Promise<void> {
    try {
      const store = await app.start();
      const products = await store.listProducts({ includeArchived: this.showArchived });
      if (!app.currentEvent) await app.refresh();
      const eventId = app.currentEvent?.id;
      const [rows, movements] = eventId
        ? await Promise.all([store.listEventStock(eventId), store.listStockMovements(eventId)])
        : [[], []];
      const stocked = stockedInByProduct(rows, movements);
      const stock: Record<Id, StockState> = {};
      for (const row of rows) {
        stock[row.productId] = stockState(row.level, stocked[row.productId] ?? 0, 0);
      }
      const photos: Record<Id, string> = {};
      for (const product of products) {
        if (!product.photoId) continue;
        const existing = this.photos[product.photoId];
        if (existing) {
          photos[product.photoId] = existing;
          continue;
        }
        const photo = await store.getPhoto(product.photoId);
        if (photo) photos[product.photoId] = URL.createObjectURL(photo.blob);
      }
      this.#revokeExcept(photos);
      this.products = products;
      this.photos = photos;
      this.stock = stock;
      this.failure = null;
    } catch (error) {
      this.failure = storeErrorCode(error);
    } finally {
      this.loaded = true;
    }
  }

  dispose(): void {
    this.#revokeExcept({});
    this.photos = {};
  }

  #revokeExcept(keep: Record<Id, string>): void {
    for (const [id, url] of Object.entries(this.photos)) {
      if (keep[id] !== url) URL.revokeObjectURL(url);
    }
  }
}
