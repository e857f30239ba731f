import { notFound } from '$lib/server/http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A sale id from the path: anything not shaped like one is simply not found. */
export function saleIdParam(value: string | undefined): string {
  if (!value || !UUID.test(value)) throw notFound('There is no payment for this sale.');
  return value;
}
