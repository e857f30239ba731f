import { error } from '@sveltejs/kit';
import { publicOrigin } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { makerQrSvg, publicMaker } from '$lib/server/organiser/public';
import { slugParam } from '$lib/organiser/contract';
import type { PageServerLoad } from './$types';

/** A printable card for the stall: name, craft, and a QR code to the maker's public page. */
export const load: PageServerLoad = async ({ params, url }) => {
  const slug = slugParam.safeParse(params.slug);
  const found = slug.success ? await publicMaker(await getDb(), slug.data) : null;
  if (!found) error(404, 'Not found');
  // ORIGIN when set (behind a proxy the request's own URL may be internal).
  const pageUrl = new URL(`/m/${found.maker.slug}`, process.env.ORIGIN ? publicOrigin() : url).href;
  return {
    displayName: found.maker.displayName,
    craft: found.maker.craft,
    pageUrl,
    // Our own SVG, made by the qrcode package from our own URL: safe to inline.
    qrSvg: await makerQrSvg(pageUrl),
  };
};
