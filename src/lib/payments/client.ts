// The device's calls to the payments API (src/lib/payments/contract.ts). Every call answers
// a result, never throws: the till and Settings show the failure in plain words. The till
// watches a payment with growing pauses (watchDelayMs), never hammering the server.
import type {
  CheckoutAnswer,
  CheckoutRequest,
  PaymentLinkAnswer,
  PaymentsStatus,
  StallFeeAnswer,
  StallFeeCheckout,
} from './contract';
import { checkoutFinal } from './contract';

export type PaymentsFailure =
  | 'offline'
  | 'signed_out'
  | 'payments_off'
  | 'not_connected'
  | 'no_stall'
  | 'stripe_unavailable'
  | 'sale_taken'
  | 'invalid_input'
  | 'not_found'
  | 'forbidden'
  | 'unknown';

export type PaymentsResult<T> = { ok: true; value: T } | { ok: false; failure: PaymentsFailure };

const KNOWN: readonly PaymentsFailure[] = [
  'payments_off',
  'not_connected',
  'no_stall',
  'stripe_unavailable',
  'sale_taken',
  'not_found',
  'forbidden',
];

async function call<T>(
  path: string,
  init: RequestInit = {},
  fetcher: typeof fetch = fetch,
): Promise<PaymentsResult<T>> {
  let response: Response;
  try {
    response = await fetcher(path, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  } catch {
    return { ok: false, failure: 'offline' };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.ok) return { ok: true, value: body as T };
  if (response.status === 401) return { ok: false, failure: 'signed_out' };
  const code = String((body as { error?: { code?: unknown } } | null)?.error?.code ?? '');
  if ((KNOWN as readonly string[]).includes(code)) {
    return { ok: false, failure: code as PaymentsFailure };
  }
  if (response.status === 400 || response.status === 422)
    return { ok: false, failure: 'invalid_input' };
  return { ok: false, failure: 'unknown' };
}

export const fetchPaymentsStatus = (fetcher?: typeof fetch) =>
  call<PaymentsStatus>('/api/payments', {}, fetcher);

export const startStripeConnect = (fetcher?: typeof fetch) =>
  call<{ url: string }>('/api/payments/connect', { method: 'POST' }, fetcher);

export const refreshStripeConnect = (fetcher?: typeof fetch) =>
  call<PaymentsStatus>('/api/payments/connect/refresh', { method: 'POST' }, fetcher);

export const createCheckout = (request: CheckoutRequest, fetcher?: typeof fetch) =>
  call<CheckoutAnswer>(
    '/api/payments/checkout',
    { method: 'POST', body: JSON.stringify(request) },
    fetcher,
  );

export const fetchCheckout = (saleId: string, fetcher?: typeof fetch) =>
  call<CheckoutAnswer>(`/api/payments/checkout/${encodeURIComponent(saleId)}`, {}, fetcher);

export const cancelCheckout = (saleId: string, fetcher?: typeof fetch) =>
  call<CheckoutAnswer>(
    `/api/payments/checkout/${encodeURIComponent(saleId)}/cancel`,
    { method: 'POST' },
    fetcher,
  );

/** The stall's reusable payment link, made on first ask (kept on the device for offline). */
export const fetchPaymentLink = (stallName: string, fetcher?: typeof fetch) =>
  call<PaymentLinkAnswer>(
    '/api/payments/link',
    { method: 'POST', body: JSON.stringify({ stallName }) },
    fetcher,
  );

/** The signed-in maker's stall fee at an event (not_found: none, or not theirs). */
export const fetchStallFee = (eventId: string, fetcher?: typeof fetch) =>
  call<StallFeeAnswer>(`/api/payments/fees/${encodeURIComponent(eventId)}`, {}, fetcher);

/** "Pay now": Embedded Checkout for what the maker owes at the event. */
export const payStallFee = (eventId: string, fetcher?: typeof fetch) =>
  call<StallFeeCheckout>(
    `/api/payments/fees/${encodeURIComponent(eventId)}`,
    { method: 'POST' },
    fetcher,
  );

/**
 * The pause before the till's next look at a payment: 1, 2, 3, 5 seconds, then every 5
 * seconds; after a failed look (offline, server trouble) twice as long, at most 30 seconds.
 * A customer needs at least 20 seconds to pay, so this asks about a dozen times a minute at
 * first and never more.
 */
export function watchDelayMs(attempt: number, failuresInARow: number): number {
  const steps = [1000, 2000, 3000, 5000];
  const base = steps[Math.min(attempt, steps.length - 1)] ?? 5000;
  return Math.min(base * 2 ** failuresInARow, 30_000);
}

export interface WatchOptions {
  fetchAnswer: () => Promise<PaymentsResult<CheckoutAnswer>>;
  sleep: (ms: number) => Promise<void>;
  /** Each answer as it comes (the till shows "waiting", "processing"). */
  onAnswer?: (answer: CheckoutAnswer) => void;
  /** True once the maker closed or cancelled the payment: the watch stops. */
  stopped: () => boolean;
}

/** Watches a payment until its outcome is final (or the watch is stopped): the last answer. */
export async function watchCheckout(options: WatchOptions): Promise<CheckoutAnswer | null> {
  let failures = 0;
  let last: CheckoutAnswer | null = null;
  for (let attempt = 0; !options.stopped(); attempt += 1) {
    await options.sleep(watchDelayMs(attempt, failures));
    if (options.stopped()) break;
    const result = await options.fetchAnswer();
    if (!result.ok) {
      failures += 1;
      if (result.failure === 'not_found' || result.failure === 'signed_out') return last;
      continue;
    }
    failures = 0;
    last = result.value;
    options.onAnswer?.(result.value);
    if (checkoutFinal(result.value)) return result.value;
  }
  return last;
}
