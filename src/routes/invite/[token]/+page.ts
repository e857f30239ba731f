import type { PageLoad } from './$types';

// An invitation link needs the server (it checks the token), so it is not part of the
// prerendered, offline device shell.
export const prerender = false;

export const load: PageLoad = ({ params }) => ({ token: params.token });
