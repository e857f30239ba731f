/**
 * The payment split on screen (src/lib/domain/summary.ts paymentSplitOf): THE one place its
 * categories get their names and their order, for the sales screen, the maker's results and
 * the organiser's dashboard. Rows follow the split's own categories, so a category added to
 * paymentSplitOf shows everywhere once it has a name here (the type asks for one).
 */
import type { Cents } from '$lib/domain/types';
import type { PaymentSplit } from '$lib/domain/summary';
import { m } from '$lib/paraglide/messages';

/**
 * The split's lines; `paidAfterWriteOff` and `paidTwice` are flags already counted in the
 * lines (shown beside the sale, src/routes/sales/SettleLink.svelte), never rows of their own.
 */
export type SplitCategory = Exclude<keyof PaymentSplit, 'paidAfterWriteOff' | 'paidTwice'>;

const LABELS: { [K in SplitCategory]: () => string } = {
  cash: () => m.sales_method_cash(),
  phoneOrCard: () => m.sales_method_qr(),
  other: () => m.sales_method_other(),
  awaiting: () => m.sales_method_awaiting(),
  writtenOff: () => m.sales_method_written_off(),
  refunded: () => m.sales_method_refunded(),
};

export function splitLabel(category: SplitCategory): string {
  return LABELS[category]();
}

export interface SplitRow {
  category: SplitCategory;
  label: string;
  count: number;
  cents: Cents;
}

function isCategory(key: string): key is SplitCategory {
  return Object.hasOwn(LABELS, key);
}

/** The categories of splits in which anything happened (cash always), in the split's order. */
export function splitCategories(splits: readonly PaymentSplit[]): SplitCategory[] {
  const keys = new Set<SplitCategory>(['cash']);
  for (const split of splits) {
    for (const [key, figure] of Object.entries(split) as [
      string,
      { count: number; cents: Cents },
    ][]) {
      if (isCategory(key) && (figure.count !== 0 || figure.cents !== 0)) keys.add(key);
    }
  }
  const order = Object.keys(LABELS) as SplitCategory[];
  return order.filter((key) => keys.has(key));
}

/** A row per category present (cash always), each with its name. */
export function splitRows(split: PaymentSplit): SplitRow[] {
  return splitCategories([split]).map((category) => ({
    category,
    label: splitLabel(category),
    count: split[category].count,
    cents: split[category].cents,
  }));
}
