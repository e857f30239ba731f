// The till opening, as far as payments go (till-payments.ts): one status request feeds both
// "Pay by phone/card" and the offline payment link; the link is asked for only when the phone
// keeps none or another than the server's, so a second opening makes one request.
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { uuidv7 } from '$lib/domain/ids';
import type { PaymentsStatus } from '$lib/payments/contract';
import { app } from './app.svelte';
import { cardPayment } from './card-payment.svelte';
import { linkPayment } from './link-payment.svelte';
import { refreshTillPayments } from './till-payments';

const LINK = { linkId: 'plink_test_noor', url: 'https://buy.stripe.com/test_noor' };

function server(status: () => PaymentsStatus) {
  const requests: string[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(`${init?.method ?? 'GET'} ${String(input)}`);
    if (String(input) === '/api/payments') return Response.json(status());
    return Response.json(LINK);
  }) as typeof fetch;
  return { fetcher, requests };
}

describe('the till’s look at payments when it opens', () => {
  let store: MemoryDeviceStore;
  beforeEach(async () => {
    store = new MemoryDeviceStore();
    await store.saveProfile({
      id: uuidv7(),
      stallName: 'Bakkerij Noor',
      organisationId: null,
      userId: uuidv7(),
      cashRounding: false,
      createdAt: Date.now(),
    });
    await app.attach(store);
  });

  it('[till][payments] two openings: the first asks the status and makes the link (2 requests), the second only the status (1); both feed card payments and the kept link', async () => {
    let linkId: string | null = null;
    const s = server(() => ({ state: 'ready', publishableKey: 'pk_test_kraam', linkId }));
    await refreshTillPayments(s.fetcher);
    expect(s.requests).toEqual(['GET /api/payments', 'POST /api/payments/link']);
    expect(cardPayment.ready).toBe(true);
    expect(app.profile?.paymentLink).toEqual(LINK);
    expect((await store.getProfile())?.paymentLink).toEqual(LINK);
    linkId = LINK.linkId;
    await refreshTillPayments(s.fetcher);
    expect(s.requests).toHaveLength(3);
    expect(s.requests[2]).toBe('GET /api/payments');
    expect(linkPayment.kept).toEqual(LINK);
    expect(linkPayment.unreachable).toBe(false);
  });

  it('[till][payments] the account no longer ready: one request, no card payment, the kept link forgotten', async () => {
    const s = server(() => ({ state: 'ready', publishableKey: 'pk_test_kraam', linkId: null }));
    await refreshTillPayments(s.fetcher);
    expect(app.profile?.paymentLink).toEqual(LINK);
    const off = server(() => ({ state: 'details-needed', publishableKey: 'pk', linkId: null }));
    await refreshTillPayments(off.fetcher);
    expect(off.requests).toEqual(['GET /api/payments']);
    expect(cardPayment.ready).toBe(false);
    expect(app.profile?.paymentLink ?? null).toBeNull();
  });

  it('[till][payments] offline: one request, the kept link stays and is offered', async () => {
    const s = server(() => ({ state: 'ready', publishableKey: 'pk_test_kraam', linkId: null }));
    await refreshTillPayments(s.fetcher);
    const requests: string[] = [];
    await refreshTillPayments((async (input: RequestInfo | URL) => {
      requests.push(String(input));
      throw new TypeError('Failed to fetch');
    }) as typeof fetch);
    expect(requests).toEqual(['/api/payments']);
    expect(cardPayment.ready).toBe(false);
    expect(linkPayment.unreachable).toBe(true);
    expect(linkPayment.kept).toEqual(LINK);
  });
});
