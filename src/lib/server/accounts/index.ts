export {
  DEFAULT_ORGANISATION_NAME,
  ORGANISATION_NAME_MAX,
  getOrganisation,
  hasAnyOrganisation,
  listMembers,
  renameOrganisation,
  type MemberInfo,
  type OrganisationInfo,
} from './organisations';
export { listMemberships, setMembershipMaker, type Membership } from './memberships';
export {
  INVITATION_TTL_HOURS_DEFAULT,
  INVITATION_TTL_HOURS_MAX,
  INVITATION_NOTE_MAX,
  acceptInvitation,
  assertTokenOfInvitation,
  foundOrganisation,
  hashInvitationToken,
  createInvitation,
  getInvitation,
  listInvitations,
  lookupInvitation,
  revokeInvitation,
  type ListedInvitation,
  type InvitationInfo,
  type InvitationStatus,
  type PublicInvitation,
} from './invitations';
export {
  checkSignUpAllowed,
  completeSignUp,
  signUpExtrasSchema,
  type SignUpExtras,
} from './signup';
export { invitationQrSvg, invitationUrl } from './invitation-link';
