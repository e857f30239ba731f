import type { ProductColour, VatRate } from '$lib/domain/types';
import { MAX_PRODUCT_NAME_LENGTH } from '$lib/domain/validation';
import { m } from '$lib/paraglide/messages';
import {
  MAX_CATEGORY_LENGTH,
  type ProductFormErrors,
  type ProductFormField,
} from '$lib/services/products';

/** "21% btw", "9% btw", "geen btw (KOR)" in the current language. */
export function vatLabel(rate: VatRate): string {
  return rate === 21 ? m.catalog_vat_21() : rate === 9 ? m.catalog_vat_9() : m.catalog_vat_0();
}

export function vatHint(rate: VatRate): string {
  return rate === 21
    ? m.catalog_vat_21_hint()
    : rate === 9
      ? m.catalog_vat_9_hint()
      : m.catalog_vat_0_hint();
}

export function colourName(colour: ProductColour): string {
  const names: Record<ProductColour, () => string> = {
    terracotta: m.catalog_colour_terracotta,
    saffron: m.catalog_colour_saffron,
    olive: m.catalog_colour_olive,
    teal: m.catalog_colour_teal,
    indigo: m.catalog_colour_indigo,
    plum: m.catalog_colour_plum,
    slate: m.catalog_colour_slate,
  };
  return names[colour]();
}

/** The message shown beside a field for its error code; undefined when the field is fine. */
export function fieldError(errors: ProductFormErrors, field: ProductFormField): string | undefined {
  const code = errors[field];
  if (!code) return undefined;
  switch (field) {
    case 'name':
      return code === 'too-long'
        ? m.catalog_error_name_too_long({ maxCount: MAX_PRODUCT_NAME_LENGTH })
        : m.catalog_error_name_required();
    case 'price':
      switch (code) {
        case 'required':
          return m.catalog_error_price_required();
        case 'negative':
          return m.catalog_error_price_negative();
        case 'too-many-decimals':
          return m.catalog_error_price_decimals();
        case 'too-large':
          return m.catalog_error_price_too_large();
        default:
          return m.catalog_error_price_not_a_number();
      }
    case 'vatRate':
      return m.catalog_error_vat_invalid();
    case 'stock':
      return code === 'no-event'
        ? m.catalog_product_stock_no_event()
        : m.catalog_error_stock_invalid();
    case 'category':
      return m.catalog_error_category_too_long({ maxCount: MAX_CATEGORY_LENGTH });
    case 'photo':
      return code === 'not-image'
        ? m.catalog_error_photo_not_image()
        : code === 'too-large'
          ? m.catalog_error_photo_too_large()
          : m.catalog_error_photo_unreadable();
    case 'colour':
      return m.catalog_error_form();
  }
}
