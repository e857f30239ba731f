/**
 * A new maker's application to an event (issue 12): its bounds and states, shared by the
 * contract (src/lib/organiser/contract.ts), the server and the public form (no schema there).
 * States: new -> waiting | accepted | declined; waiting -> waiting | accepted | declined;
 * accepted and declined are final.
 */
export const APPLICATION_TEXT_MAX = { name: 100, craft: 200, contact: 200, message: 1000 } as const;
export const APPLICATION_STATUSES = ['new', 'waiting', 'accepted', 'declined'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
