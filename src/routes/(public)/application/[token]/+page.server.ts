import { error } from '@sveltejs/kit';
import { invitationUrl } from '$lib/server/accounts';
import { linkKey, publicOrigin } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { applicationStatus } from '$lib/server/organiser/applications';
import type { PageServerLoad } from './$types';

/**
 * An applicant's status page: the only place the answer arrives (Kraam sends no e-mail).
 * The token in the address is the key; an unknown one is a plain 404.
 */
export const load: PageServerLoad = async ({ params, setHeaders, url }) => {
  const view = await applicationStatus(await getDb(), params.token, await linkKey());
  if (!view) error(404, 'Not found');
  setHeaders({ 'cache-control': 'private, no-store', 'referrer-policy': 'no-referrer' });
  const { invitationToken, ...rest } = view;
  return {
    ...rest,
    invitationPath: invitationToken
      ? new URL(invitationUrl(publicOrigin(), invitationToken)).pathname
      : null,
    sent: url.searchParams.get('sent') === '1',
  };
};
