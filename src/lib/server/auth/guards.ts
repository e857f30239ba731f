// Authorization at the top of every endpoint: who is asking, in which organisation, with
// which role. They throw ApiErrors (401/403), turned into JSON by the `api()` wrapper.
import { withArticle } from '$lib/server/http/words';
import type { Membership } from '../accounts/memberships';
import type { Role } from '../db/schema';
import { ApiError, forbidden, unauthorized } from '../http/errors';
import type { RequestAuth, SessionUser } from './session';

interface WithLocals {
  locals: RequestAuth;
}

export function requireUser(event: WithLocals): SessionUser {
  const { user } = event.locals;
  if (!user) throw unauthorized();
  return user;
}

export function requireMembership(event: WithLocals): Membership {
  requireUser(event);
  const { membership } = event.locals;
  if (!membership) {
    throw new ApiError(
      403,
      'no_membership',
      'Your account does not belong to an organisation yet: open an invitation link first.',
    );
  }
  return membership;
}

export function requireRole(event: WithLocals, ...roles: Role[]): Membership {
  const membership = requireMembership(event);
  if (!roles.includes(membership.role)) {
    throw forbidden(
      `Only ${roles.join(' or ')} accounts may do this; you are ${withArticle(membership.role)} ` +
        `in ${membership.organisationName}.`,
    );
  }
  return membership;
}
