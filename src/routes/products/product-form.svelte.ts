import { storeErrorCode } from '$lib/components/store-error';
import type { StoreErrorCode } from '$lib/db/device-store';
import { defaultVatRate } from '$lib/domain/kor';
import type { Id, Product } from '$lib/domain/types';
import {
  checkPhotoFile,
  downscalePhoto,
  PhotoError,
  type PreparedPhoto,
} from '$lib/services/photos';
import {
  archiveProduct,
  loadProductForEdit,
  newProductColour,
  productFormValues,
  saveProduct,
  type ProductFormErrors,
  type ProductFormInput,
} from '$lib/services/products';
import { app } from '$lib/state/app.svelte';
import { sync } from '$lib/state/sync.svelte';

type Status = 'loading' | 'ready' | 'missing';

/**
 * The product form (new or edit): what was typed, the chosen photo and the errors. The
 * photo is checked and downscaled as soon as it is chosen, so a wrong file is reported at
 * once; nothing reaches the store until "save" passes every check.
 */
export class ProductFormState {
  values = $state<ProductFormInput>(productFormValues());
  errors = $state<ProductFormErrors>({});
  product = $state.raw<Product | undefined>(undefined);
  status = $state<Status>('loading');
  busy = $state(false);
  failure = $state<StoreErrorCode | null>(null);
  /** Object URL of what the photo field shows (the new photo, or the stored one). */
  previewUrl = $state<string | null>(null);
  #file: Blob | null = null;
  #prepared: PreparedPhoto | null = null;
  #removePhoto = false;

  async load(id: Id | null, decimalSeparator: ',' | '.'): Promise<void> {
    this.status = 'loading';
    try {
      const store = await app.start();
      await app.refresh();
      if (!id) {
        this.values = productFormValues(
          undefined,
          null,
          decimalSeparator,
          await newProductColour(store),
          defaultVatRate(app.profile),
        );
        this.status = 'ready';
        return;
      }
      const found = await loadProductForEdit(store, id, app.currentEvent?.id ?? null);
      if (!found) {
        this.status = 'missing';
        return;
      }
      this.product = found.product;
      this.values = productFormValues(found.product, found.stock, decimalSeparator);
      if (found.photo) this.#showPreview(found.photo.blob);
      this.status = 'ready';
    } catch (error) {
      this.failure = storeErrorCode(error);
      this.status = 'ready';
    }
  }

  /** A photo was taken or chosen: refuse a wrong file now, downscale a good one for the preview. */
  async choosePhoto(file: File | undefined): Promise<void> {
    if (!file) return;
    const problem = checkPhotoFile(file);
    if (problem) {
      // Kept, so that "save" refuses too until a good photo is chosen or this one removed.
      this.#file = file;
      this.#prepared = null;
      this.errors = { ...this.errors, photo: problem };
      return;
    }
    try {
      const prepared = await downscalePhoto(file);
      this.#file = file;
      this.#prepared = prepared;
      this.#removePhoto = false;
      this.errors = { ...this.errors, photo: undefined };
      this.#showPreview(prepared.blob);
    } catch (error) {
      this.#file = file;
      this.#prepared = null;
      this.errors = {
        ...this.errors,
        photo: error instanceof PhotoError ? error.code : 'unreadable',
      };
    }
  }

  removePhoto(): void {
    this.#file = null;
    this.#prepared = null;
    this.#removePhoto = true;
    this.errors = { ...this.errors, photo: undefined };
    this.#showPreview(null);
  }

  /** Saves; resolves to the saved product, or null when something must be fixed first. */
  async save(): Promise<Product | null> {
    if (this.busy) return null;
    this.busy = true;
    this.failure = null;
    try {
      const store = await app.start();
      const profile = app.profile ?? (await store.getProfile());
      const prepared = this.#prepared;
      const result = await saveProduct(store, this.values, {
        makerId: profile?.id ?? (await store.deviceId()),
        nextHlc: () => app.nextHlc(),
        id: this.product?.id,
        eventId: app.currentEvent?.id ?? null,
        photo: this.#file,
        removePhoto: this.#removePhoto,
        preparePhoto: prepared ? async () => prepared : undefined,
      });
      if (!result.ok) {
        this.errors = result.errors;
        return null;
      }
      this.errors = {};
      this.product = result.product;
      // The product (and its stock count) is committed: send it shortly.
      sync.notifyChange();
      return result.product;
    } catch (error) {
      this.failure = storeErrorCode(error);
      // The product may be stored even when its stock count then failed (two writes).
      sync.notifyChange();
      return null;
    } finally {
      this.busy = false;
    }
  }

  async setArchived(archived: boolean): Promise<Product | null> {
    const current = this.product;
    if (!current || this.busy) return null;
    this.busy = true;
    this.failure = null;
    try {
      const store = await app.start();
      this.product = await archiveProduct(store, current.id, archived, {
        nextHlc: () => app.nextHlc(),
      });
      sync.notifyChange();
      return this.product;
    } catch (error) {
      this.failure = storeErrorCode(error);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** Forgets the error of a field the maker changed (by the input's name). */
  clearError(name: string): void {
    const field = name === 'vat' ? 'vatRate' : name;
    if (!(field in this.errors) || field === 'photo') return;
    this.errors = { ...this.errors, [field]: undefined };
  }

  hasErrors(): boolean {
    return Object.values(this.errors).some(Boolean);
  }

  dispose(): void {
    this.#showPreview(null);
  }

  #showPreview(blob: Blob | null): void {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = blob ? URL.createObjectURL(blob) : null;
  }
}
