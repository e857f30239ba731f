// Kept apart from transport.ts (which validates answers with zod) so that code which only
// needs to recognise a transport failure does not pull zod into the till's first load.

/**
 * offline: no answer at all (no network, timeout, connection dropped, response lost);
 * unauthorized: 401, sign in again; forbidden: 403; server: 5xx or an answer that is not
 * ours (a captive portal, a proxy page); rejected: another 4xx (a bug or an old app version).
 */
export type TransportFailure = 'offline' | 'unauthorized' | 'forbidden' | 'server' | 'rejected';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailure,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
