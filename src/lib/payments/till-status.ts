// The till's one look at payments when it opens (docs/payments.md, "At the till"): ONE
// `GET /api/payments` says whether "Pay by phone/card" is offered and which stall payment
// link the server keeps (`linkId`); `POST /api/payments/link` is asked only when the phone
// keeps no link, or another than the one the server names (a link of another account that
// was signed in on this phone, or one the server no longer keeps). An older server that names
// no link gets the POST on every opening, as before. Every call answers, never throws.
import { fetchPaymentLink, fetchPaymentsStatus } from './client';

export interface KeptLink {
  linkId: string;
  url: string;
}

export type LinkChange =
  { change: 'keep' } | { change: 'set'; link: KeptLink } | { change: 'forget' };

export interface TillPaymentsCheck {
  /** The maker's account takes payments by phone or card: "Pay by phone/card" is offered. */
  ready: boolean;
  /** The server gave no answer (offline, or trouble): the kept link is offered instead. */
  unreachable: boolean;
  /** What the phone keeps of the stall's payment link now. */
  link: LinkChange;
}

export async function checkTillPayments(
  input: { kept: KeptLink | null; stallName: string | null },
  fetcher?: typeof fetch,
): Promise<TillPaymentsCheck> {
  const keep: LinkChange = { change: 'keep' };
  const status = await fetchPaymentsStatus(fetcher);
  if (!status.ok) {
    const unreachable = status.failure === 'offline' || status.failure === 'unknown';
    return { ready: false, unreachable, link: keep };
  }
  const { state, linkId } = status.value;
  if (state === 'signed-out') return { ready: false, unreachable: false, link: keep };
  if (state !== 'ready') {
    // Disconnected, details due again, or Stripe turned off: the link must not be offered.
    return { ready: false, unreachable: false, link: input.kept ? { change: 'forget' } : keep };
  }
  const { kept, stallName } = input;
  const current = kept !== null && linkId !== undefined && linkId === kept.linkId;
  if (current || stallName === null) return { ready: true, unreachable: false, link: keep };
  const link = await fetchPaymentLink(stallName, fetcher);
  if (!link.ok || (kept && kept.linkId === link.value.linkId && kept.url === link.value.url)) {
    return { ready: true, unreachable: false, link: keep };
  }
  return {
    ready: true,
    unreachable: false,
    link: { change: 'set', link: { linkId: link.value.linkId, url: link.value.url } },
  };
}
