// The device's calls to the accounts API. Every call answers a result, never throws: the
// screens show `failure` in plain words (account-errors.ts). Device code: no server imports.

export type Role = 'organiser' | 'maker' | 'helper';

export interface Membership {
  id: string;
  organisationId: string;
  organisationName: string;
  role: Role;
  makerId: string | null;
}

export interface Me {
  user: { id: string; name: string; email: string };
  membership: Membership | null;
  memberships: Membership[];
}

export interface PublicInvitation {
  organisationName: string;
  role: Role;
  newOrganisation: boolean;
  status: 'valid' | 'expired' | 'used' | 'revoked';
  expiresAt: string;
  /** A helper invitation: the maker's stall it is for (older servers: absent). */
  stallName?: string | null;
}

export interface CreatedInvitation {
  invitation: { id: string; role: Role; expiresAt: string };
  token: string;
  url: string;
  qrSvgPath: string;
}

/** What went wrong, as a code the screens turn into words. */
export type Failure =
  | 'offline'
  | 'signed_out'
  | 'credentials'
  | 'rate_limited'
  | 'account_paused'
  | 'invitation_required'
  | 'invitation_used'
  | 'invitation_expired'
  | 'invitation_revoked'
  | 'invitation_locked'
  | 'invitation_not_found'
  | 'already_member'
  | 'email_taken'
  | 'password_short'
  | 'password_common'
  | 'invalid_input'
  | 'forbidden'
  | 'unknown';

export type Result<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      failure: Failure;
      /** With 'account_paused': whole minutes until the account may sign in again. */
      retryMinutes?: number;
    };

/** Both error shapes: ours `{ error: { code } }` and better-auth's `{ code }`. */
function failureOf(status: number, body: unknown): Failure {
  const data = (body ?? {}) as { code?: unknown; error?: { code?: unknown } };
  const code = String(data.error?.code ?? data.code ?? '');
  if (status === 429) return code === 'account_sign_in_paused' ? 'account_paused' : 'rate_limited';
  switch (code) {
    case 'invitation_required':
    case 'invitation_used':
    case 'invitation_expired':
    case 'invitation_revoked':
    case 'invitation_locked':
    case 'already_member':
      return code;
    case 'not_found':
      return 'invitation_not_found';
    case 'INVALID_EMAIL_OR_PASSWORD':
      return 'credentials';
    case 'USER_ALREADY_EXISTS':
    case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
      return 'email_taken';
    case 'PASSWORD_TOO_SHORT':
      return 'password_short';
    case 'PASSWORD_TOO_COMMON':
      return 'password_common';
    case 'INVALID_EMAIL':
    case 'validation_failed':
      return 'invalid_input';
  }
  if (status === 401) return 'signed_out';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'invitation_not_found';
  if (status === 400 || status === 422) return 'invalid_input';
  return 'unknown';
}

async function call<T>(path: string, init: RequestInit = {}): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      headers: init.body ? { 'content-type': 'application/json' } : undefined,
    });
  } catch {
    return { ok: false, failure: 'offline' };
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const failure = failureOf(response.status, body);
    const retryAfter = Number(response.headers.get('retry-after'));
    if (failure === 'account_paused' && Number.isFinite(retryAfter) && retryAfter > 0) {
      return { ok: false, failure, retryMinutes: Math.ceil(retryAfter / 60) };
    }
    return { ok: false, failure };
  }
  return { ok: true, value: body as T };
}

const post = <T>(path: string, body: unknown = {}) =>
  call<T>(path, { method: 'POST', body: JSON.stringify(body) });

export const fetchMe = () => call<Me>('/api/me');

export const signIn = (email: string, password: string) =>
  post<unknown>('/api/auth/sign-in/email', { email, password, rememberMe: true });

export interface SignUpInput {
  name: string;
  email: string;
  password: string;
  organisationName?: string;
  invitationToken?: string;
}

export const signUp = (input: SignUpInput) => post<unknown>('/api/auth/sign-up/email', input);

export const signOut = () => post<unknown>('/api/auth/sign-out');

export const lookupInvitation = (token: string) =>
  call<{ invitation: PublicInvitation }>(`/api/invitations/${encodeURIComponent(token)}`);

export const acceptInvitation = (token: string, organisationName?: string) =>
  post<{ membership: Membership }>(
    `/api/invitations/${encodeURIComponent(token)}/accept`,
    organisationName ? { organisationName } : {},
  );

export const createInvitation = (role: Role) =>
  post<CreatedInvitation>('/api/invitations', { role });

export const renameOrganisation = (name: string) =>
  post<{ organisation: { id: string; name: string } }>('/api/organisations/current', { name });
