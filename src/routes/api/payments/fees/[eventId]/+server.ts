import { requireUser } from '$lib/server/auth';
import { api, json, notFound } from '$lib/server/http';
import { serverPayments } from '$lib/server/payments';
import { payStallFee, stallFee } from '$lib/server/payments/fees';

export const prerender = false;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event id from the path: anything not shaped like one has no fee. */
function eventIdParam(value: string | undefined): string {
  if (!value || !UUID.test(value)) throw notFound('You have no stall fee at this event.');
  return value;
}

/** The signed-in maker's own stall fee at the event (src/lib/payments/contract.ts). */
export const GET = api(async (event) => {
  const user = requireUser(event);
  return json(await stallFee(await serverPayments(), user.id, eventIdParam(event.params.eventId)));
});

/** "Pay now": Embedded Checkout on the platform's account for what the maker owes. */
export const POST = api(async (event) => {
  const user = requireUser(event);
  return json(
    await payStallFee(await serverPayments(), user.id, eventIdParam(event.params.eventId)),
  );
});
