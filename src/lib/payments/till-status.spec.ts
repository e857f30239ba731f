// The till's one look at payments when it opens (till-status.ts), counting the requests it
// makes: one GET /api/payments feeds both "Pay by phone/card" and the offline payment link;
// POST /api/payments/link only when the phone keeps no link or another than the server's.
import { describe, expect, it } from 'vitest';
import type { PaymentsStatus } from './contract';
import { checkTillPayments, type KeptLink } from './till-status';

const KEPT: KeptLink = { linkId: 'plink_test_noor', url: 'https://buy.stripe.com/test_noor' };
const OTHER: KeptLink = { linkId: 'plink_test_other', url: 'https://buy.stripe.com/test_other' };

/** A server answering GET /api/payments with `status` and POST /api/payments/link with `link`. */
function server(status: PaymentsStatus | 'offline' | 500, link: KeptLink | 502 = KEPT) {
  const requests: string[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    requests.push(`${init?.method ?? 'GET'} ${path}`);
    if (path === '/api/payments') {
      if (status === 'offline') throw new TypeError('Failed to fetch');
      if (status === 500) return Response.json({ error: { code: 'internal' } }, { status: 500 });
      return Response.json(status);
    }
    if (path === '/api/payments/link' && init?.method === 'POST') {
      if (link === 502) {
        return Response.json({ error: { code: 'stripe_unavailable' } }, { status: 502 });
      }
      return Response.json(link);
    }
    return Response.json({ error: { code: 'not_found' } }, { status: 404 });
  }) as typeof fetch;
  return { fetcher, requests };
}

const ready = (linkId: string | null | undefined): PaymentsStatus => ({
  state: 'ready',
  publishableKey: 'pk_test_kraam',
  ...(linkId === undefined ? {} : { linkId }),
});

describe('the till’s payment status (one request when it opens)', () => {
  it('[till][payments] the phone keeps the server’s link: one GET, no POST; ready and the link kept', async () => {
    const s = server(ready(KEPT.linkId));
    const check = await checkTillPayments({ kept: KEPT, stallName: 'Bakkerij Noor' }, s.fetcher);
    expect(s.requests).toEqual(['GET /api/payments']);
    expect(check).toEqual({ ready: true, unreachable: false, link: { change: 'keep' } });
  });

  it('[till][payments] the phone keeps no link: one GET, then the link is asked for once and kept', async () => {
    for (const serverLink of [null, KEPT.linkId]) {
      const s = server(ready(serverLink));
      const check = await checkTillPayments({ kept: null, stallName: 'Bakkerij Noor' }, s.fetcher);
      expect(s.requests).toEqual(['GET /api/payments', 'POST /api/payments/link']);
      expect(check).toEqual({
        ready: true,
        unreachable: false,
        link: { change: 'set', link: KEPT },
      });
    }
  });

  it('[till][payments] the phone keeps another account’s link (or one the server no longer has): the link is asked for again and replaced', async () => {
    for (const serverLink of [KEPT.linkId, null]) {
      const s = server(ready(serverLink));
      const check = await checkTillPayments({ kept: OTHER, stallName: 'Bakkerij Noor' }, s.fetcher);
      expect(s.requests).toEqual(['GET /api/payments', 'POST /api/payments/link']);
      expect(check.link).toEqual({ change: 'set', link: KEPT });
    }
  });

  it('[till][payments] the account is not ready (disconnected, or Stripe off): one GET, the kept link is forgotten, no card payment', async () => {
    for (const state of ['details-needed', 'not-connected', 'off'] as const) {
      const s = server({ state, publishableKey: null, linkId: null });
      const check = await checkTillPayments({ kept: KEPT, stallName: 'Bakkerij Noor' }, s.fetcher);
      expect(s.requests).toEqual(['GET /api/payments']);
      expect(check).toEqual({ ready: false, unreachable: false, link: { change: 'forget' } });
    }
  });

  it('[till][payments] offline or no good answer: one GET, the kept link stays and is offered; signed out: kept, not offered', async () => {
    for (const status of ['offline', 500] as const) {
      const s = server(status);
      const check = await checkTillPayments({ kept: KEPT, stallName: 'Bakkerij Noor' }, s.fetcher);
      expect(s.requests).toEqual(['GET /api/payments']);
      expect(check).toEqual({ ready: false, unreachable: true, link: { change: 'keep' } });
    }
    const s = server({ state: 'signed-out', publishableKey: 'pk_test_kraam' });
    const check = await checkTillPayments({ kept: KEPT, stallName: 'Bakkerij Noor' }, s.fetcher);
    expect(s.requests).toEqual(['GET /api/payments']);
    expect(check).toEqual({ ready: false, unreachable: false, link: { change: 'keep' } });
  });

  it('[till][payments] Stripe failing while the link is made: the kept link (if any) stays, card payments still offered', async () => {
    const s = server(ready(null), 502);
    const check = await checkTillPayments({ kept: null, stallName: 'Bakkerij Noor' }, s.fetcher);
    expect(s.requests).toEqual(['GET /api/payments', 'POST /api/payments/link']);
    expect(check).toEqual({ ready: true, unreachable: false, link: { change: 'keep' } });
  });

  it('[till][payments] an older server that names no link: asked for on every opening, as before', async () => {
    const s = server(ready(undefined));
    const check = await checkTillPayments({ kept: KEPT, stallName: 'Bakkerij Noor' }, s.fetcher);
    expect(s.requests).toEqual(['GET /api/payments', 'POST /api/payments/link']);
    expect(check.link).toEqual({ change: 'keep' });
  });

  it('[till][payments] no profile yet (no stall name): the status only, no link asked for', async () => {
    const s = server(ready(null));
    const check = await checkTillPayments({ kept: null, stallName: null }, s.fetcher);
    expect(s.requests).toEqual(['GET /api/payments']);
    expect(check).toEqual({ ready: true, unreachable: false, link: { change: 'keep' } });
  });
});
