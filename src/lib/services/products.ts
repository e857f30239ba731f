import { StoreError, type DeviceStore } from '$lib/db/device-store';
import { nextColour } from '$lib/domain/colours';
import { uuidv7 } from '$lib/domain/ids';
import { centsToDecimalString } from '$lib/domain/money';
import type { Hlc, Id, Product, ProductColour, ProductPhoto, VatRate } from '$lib/domain/types';
import {
  validateProductInput,
  type ProductField,
  type ValidationErrorCode,
} from '$lib/domain/validation';
import {
  checkPhotoFile,
  downscalePhoto,
  PhotoError,
  withPhotoId,
  type PhotoFileError,
  type PreparedPhoto,
} from './photos';

/**
 * The maker's catalogue: add, edit and archive products, with an optional photo and an
 * optional stock count for the current event. Each function is one thing the maker does.
 */

export const PRODUCT_COLOURS: readonly ProductColour[] = [
  'terracotta',
  'saffron',
  'olive',
  'teal',
  'indigo',
  'plum',
  'slate',
];
export const MAX_CATEGORY_LENGTH = 40;

/** What the product form holds: the raw strings people typed, plus the choices. */
export interface ProductFormInput {
  name: string;
  /** Price incl. VAT as typed: "3,50", "3.50", "€ 3,50". */
  price: string;
  vatRate: string | number;
  /** Opening stock for the current event as typed; empty = not tracked. */
  stock: string;
  colour: ProductColour;
  category: string;
}

export type ProductFormField = ProductField | 'colour' | 'category' | 'photo';
export type ProductFormError =
  | ValidationErrorCode
  | PhotoFileError
  | 'invalid-colour'
  /** A stock count was given but no event is being sold at. */
  | 'no-event';
export type ProductFormErrors = Partial<Record<ProductFormField, ProductFormError>>;

export interface SaveProductOptions {
  /** Who the product belongs to (the device's profile). */
  makerId: Id;
  /** A new HLC timestamp for each write (the app's clock). */
  nextHlc: () => Hlc;
  now?: () => number;
  /** The product being edited; absent for a new one. */
  id?: Id;
  /** The event being sold at, where the stock count applies. */
  eventId?: Id | null;
  /** A newly chosen photo file (camera or file), checked and downscaled before saving. */
  photo?: Blob | null;
  /** Drop the current photo (ignored when a new photo is given). */
  removePhoto?: boolean;
  /** Injected in tests: node has no canvas. */
  preparePhoto?: (file: Blob) => Promise<PreparedPhoto>;
}

export type SaveProductResult =
  { ok: true; product: Product } | { ok: false; errors: ProductFormErrors };

/** Everything the form checks without touching storage; empty when the input is fine. */
export function checkProductForm(
  input: ProductFormInput,
  photo: { type: string; size: number } | null | undefined,
  hasEvent: boolean,
): ProductFormErrors {
  const validation = validateProductInput(input);
  const errors: ProductFormErrors = validation.ok ? {} : { ...validation.errors };
  if (!PRODUCT_COLOURS.includes(input.colour)) errors.colour = 'invalid-colour';
  if ([...input.category.trim()].length > MAX_CATEGORY_LENGTH) errors.category = 'too-long';
  if (!hasEvent && input.stock.trim() !== '' && !errors.stock) errors.stock = 'no-event';
  const photoProblem = photo ? checkPhotoFile(photo) : null;
  if (photoProblem) errors.photo = photoProblem;
  return errors;
}

/**
 * Adds or edits a product. Everything is checked first (fields, photo type and size, and
 * that the photo decodes); on any error nothing is written. Then the product and its photo
 * are saved in one transaction and, when an event is current, its opening stock is set
 * (a second transaction: the store has no combined write; the product is saved either way).
 */
export async function saveProduct(
  store: DeviceStore,
  input: ProductFormInput,
  options: SaveProductOptions,
): Promise<SaveProductResult> {
  const eventId = options.eventId ?? null;
  const errors = checkProductForm(input, options.photo, eventId !== null);
  const validation = validateProductInput(input);
  if (!validation.ok || Object.keys(errors).length > 0) return { ok: false, errors };

  let photo: ProductPhoto | undefined;
  if (options.photo) {
    try {
      photo = withPhotoId(await (options.preparePhoto ?? downscalePhoto)(options.photo));
    } catch (error) {
      return {
        ok: false,
        errors: { photo: error instanceof PhotoError ? error.code : 'unreadable' },
      };
    }
  }

  const now = (options.now ?? Date.now)();
  const existing = options.id ? await store.getProduct(options.id) : undefined;
  if (options.id && !existing)
    throw new StoreError('not-found', 'This product is not on this device.');
  const { name, priceCents, vatRate, stock } = validation.value;
  const product: Product = {
    id: existing?.id ?? uuidv7(),
    makerId: existing?.makerId ?? options.makerId,
    name,
    priceCents,
    vatRate,
    photoId: photo ? photo.id : options.removePhoto ? null : (existing?.photoId ?? null),
    colour: input.colour,
    category: input.category.trim(),
    archived: existing?.archived ?? false,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await store.saveProduct(product, options.nextHlc(), photo);
  if (eventId) {
    const current = await openingCount(store, eventId, product.id);
    if (current !== stock)
      await store.setOpeningStock(eventId, product.id, stock, options.nextHlc());
  }
  return { ok: true, product };
}

/** Archives (hides from the till) or restores a product. Its sales are untouched. */
export async function archiveProduct(
  store: DeviceStore,
  id: Id,
  archived: boolean,
  options: { nextHlc: () => Hlc; now?: () => number },
): Promise<Product> {
  const existing = await store.getProduct(id);
  if (!existing) throw new StoreError('not-found', 'This product is not on this device.');
  if (existing.archived === archived) return existing;
  const product = { ...existing, archived, updatedAt: (options.now ?? Date.now)() };
  await store.saveProduct(product, options.nextHlc());
  return product;
}

/** The opening stock of a product at an event, or null when stock is not kept for it there. */
export async function openingCount(
  store: DeviceStore,
  eventId: Id,
  productId: Id,
): Promise<number | null> {
  const rows = await store.listEventStock(eventId);
  return rows.find((row) => row.productId === productId)?.openingCount ?? null;
}

export interface ProductForEdit {
  product: Product;
  photo: ProductPhoto | undefined;
  /** Opening stock at the current event; null when not kept (or no event). */
  stock: number | null;
}

/** What the edit form starts from; undefined when the product is not on this device. */
export async function loadProductForEdit(
  store: DeviceStore,
  id: Id,
  eventId: Id | null,
): Promise<ProductForEdit | undefined> {
  const product = await store.getProduct(id);
  if (!product) return undefined;
  const [photo, stock] = await Promise.all([
    product.photoId ? store.getPhoto(product.photoId) : Promise.resolve(undefined),
    eventId ? openingCount(store, eventId, id) : Promise.resolve(null),
  ]);
  return { product, photo, stock };
}

/** The colour a new product starts with: the next one no product on sale uses yet. */
export async function newProductColour(store: DeviceStore): Promise<ProductColour> {
  const products = await store.listProducts();
  return nextColour(
    PRODUCT_COLOURS,
    products.filter((p) => !p.archived).map((p) => p.colour),
  );
}

/**
 * The form's starting values for a product (or a new one). The price is written with the
 * locale's decimal separator ("3,50" in Dutch); parseMoneyInput reads both , and .
 */
export function productFormValues(
  product?: Product,
  stock?: number | null,
  decimalSeparator: ',' | '.' = ',',
  newColour: ProductColour = 'terracotta',
  newVatRate: VatRate = 21,
): ProductFormInput {
  return {
    name: product?.name ?? '',
    price: product ? centsToDecimalString(product.priceCents).replace('.', decimalSeparator) : '',
    vatRate: product?.vatRate ?? newVatRate,
    stock: stock === null || stock === undefined ? '' : String(stock),
    colour: product?.colour ?? newColour,
    category: product?.category ?? '',
  };
}
