/**
 * The organiser screens' calls to the organiser API. Every call answers a result and never
 * throws, so screens show what went wrong in plain words. The request and answer shapes are
 * the contract's (./contract.ts, shared with the server; prose in
 * src/lib/server/organiser/API.md), imported as types only: no schema reaches the bundle.
 */
import type { EventStatus, Id } from '$lib/domain/types';
import type { Landmark } from '$lib/domain/organiser/stall-map';
import type {
  Application,
  ApplicationDecisionBody,
  Announcement,
  ApiIssue,
  ApiStall,
  Assignment,
  Dashboard,
  EventInput,
  EventPlan,
  FeeOverview,
  Impact,
  Maker,
  MakerProfile,
  MakerProfileInput,
  MapSize,
  OrganiserEvent,
  Series,
  AssignBody,
  NextEditionBody,
  UpdateAssignmentBody,
  UpdateEventBody,
  MakerEventSummary,
  MakerEventView,
  MakerResultsAnswer,
} from './contract';

export type {
  Application,
  Announcement,
  ApiIssue,
  ApiStall,
  Assignment,
  Dashboard,
  EditionComparison,
  DashboardMaker,
  EventInput,
  EventPlan,
  FeeOverview,
  Impact,
  Maker,
  MakerProfile,
  MakerProfileInput,
  MapSize,
  OrganiserEvent,
  Series,
  MakerEventSummary,
} from './contract';

export type InvitationStatus = 'valid' | 'expired' | 'used' | 'revoked';
export interface InvitationInfo {
  id: Id;
  role: 'organiser' | 'maker' | 'helper';
  expiresAt: string;
  usedAt: string | null;
  createdAt: string;
  status: InvitationStatus;
  note: string | null;
  revokedAt: string | null;
  usedBy: { name: string; email: string } | null;
  signUpProbes: number;
}
/** In the organiser's list: an open link's url and QR again (null when not open). */
export interface ListedInvitation extends InvitationInfo {
  url: string | null;
  qrSvgPath: string | null;
}
export interface CreatedInvitation {
  invitation: InvitationInfo;
  token: string;
  url: string;
  qrSvgPath: string;
}

/** Why a call failed: no network, or the server's error (status, code, words, issues). */
export type ApiFailure =
  | { kind: 'offline' }
  | { kind: 'http'; status: number; code: string; message: string; issues: ApiIssue[] };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

const BASE = '/api/organiser';

async function call<T>(
  path: string,
  init: { method?: string; body?: unknown; raw?: Blob; contentType?: string } = {},
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    const headers: Record<string, string> = {};
    let body: BodyInit | undefined;
    if (init.raw) {
      body = init.raw;
      headers['content-type'] = init.contentType ?? init.raw.type;
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    response = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body,
    });
  } catch {
    return { ok: false, failure: { kind: 'offline' } };
  }
  if (response.status === 204) return { ok: true, value: undefined as T };
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (
      data as { error?: Partial<{ code: string; message: string; issues: ApiIssue[] }> }
    )?.error;
    return {
      ok: false,
      failure: {
        kind: 'http',
        status: response.status,
        code: error?.code ?? 'unknown',
        message: error?.message ?? response.statusText,
        issues: error?.issues ?? [],
      },
    };
  }
  return { ok: true, value: data as T };
}

const ev = (eventId: Id) => `${BASE}/events/${encodeURIComponent(eventId)}`;

export const organiserApi = {
  listSeries: () => call<{ series: Series[] }>(`${BASE}/series`),
  createSeries: (name: string) =>
    call<{ series: Series }>(`${BASE}/series`, { method: 'POST', body: { name } }),
  newEdition: (seriesId: Id, body: NextEditionBody) =>
    call<{ event: OrganiserEvent }>(`${BASE}/series/${encodeURIComponent(seriesId)}/editions`, {
      method: 'POST',
      body,
    }),

  listEvents: () => call<{ events: OrganiserEvent[] }>(`${BASE}/events`),
  createEvent: (body: EventInput) =>
    call<{ event: OrganiserEvent }>(`${BASE}/events`, { method: 'POST', body }),
  getPlan: (eventId: Id) => call<EventPlan>(ev(eventId)),
  updateEvent: (eventId: Id, body: UpdateEventBody) =>
    call<{ event: OrganiserEvent }>(ev(eventId), { method: 'PATCH', body }),
  deleteEvent: (eventId: Id) => call<void>(ev(eventId), { method: 'DELETE' }),
  setStatus: (eventId: Id, to: EventStatus) =>
    call<{ event: OrganiserEvent }>(`${ev(eventId)}/status`, { method: 'POST', body: { to } }),

  saveMap: (eventId: Id, size: MapSize) =>
    call<{ map: MapSize }>(`${ev(eventId)}/map`, { method: 'PUT', body: size }),
  createStall: (eventId: Id, stall: Partial<Omit<ApiStall, 'eventId'>>) =>
    call<{ stall: ApiStall }>(`${ev(eventId)}/stalls`, { method: 'POST', body: stall }),
  updateStall: (eventId: Id, stallId: Id, patch: Partial<Omit<ApiStall, 'id' | 'eventId'>>) =>
    call<{ stall: ApiStall }>(`${ev(eventId)}/stalls/${encodeURIComponent(stallId)}`, {
      method: 'PATCH',
      body: patch,
    }),
  deleteStall: (eventId: Id, stallId: Id) =>
    call<void>(`${ev(eventId)}/stalls/${encodeURIComponent(stallId)}`, { method: 'DELETE' }),
  createLandmark: (eventId: Id, landmark: Partial<Omit<Landmark, 'eventId'>>) =>
    call<{ landmark: Landmark }>(`${ev(eventId)}/landmarks`, { method: 'POST', body: landmark }),
  updateLandmark: (eventId: Id, id: Id, patch: Partial<Omit<Landmark, 'id' | 'eventId'>>) =>
    call<{ landmark: Landmark }>(`${ev(eventId)}/landmarks/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: patch,
    }),
  deleteLandmark: (eventId: Id, id: Id) =>
    call<void>(`${ev(eventId)}/landmarks/${encodeURIComponent(id)}`, { method: 'DELETE' }),

  inviteToEvent: (eventId: Id, makerId: Id) =>
    call<{ invitedMakerIds: Id[] }>(`${ev(eventId)}/makers`, {
      method: 'POST',
      body: { makerId },
    }),
  removeFromEvent: (eventId: Id, makerId: Id) =>
    call<void>(`${ev(eventId)}/makers/${encodeURIComponent(makerId)}`, { method: 'DELETE' }),
  assign: (eventId: Id, body: AssignBody) =>
    call<{ assignment: Assignment; changed: boolean }>(`${ev(eventId)}/assignments`, {
      method: 'POST',
      body,
    }),
  updateAssignment: (eventId: Id, id: Id, body: UpdateAssignmentBody) =>
    call<{ assignment: Assignment }>(`${ev(eventId)}/assignments/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body,
    }),
  unassign: (eventId: Id, id: Id) =>
    call<void>(`${ev(eventId)}/assignments/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  setFeePaid: (eventId: Id, makerId: Id, paidCents: number) =>
    call<{ fees: FeeOverview }>(`${ev(eventId)}/fees/${encodeURIComponent(makerId)}`, {
      method: 'PUT',
      body: { paidCents },
    }),

  listMakers: () => call<{ makers: Maker[] }>(`${BASE}/makers`),

  postAnnouncement: (eventId: Id, body: string) =>
    call<{ announcement: Announcement }>(`${ev(eventId)}/announcements`, {
      method: 'POST',
      body: { body },
    }),
  listAnnouncements: (eventId: Id) =>
    call<{ announcements: Announcement[] }>(`${ev(eventId)}/announcements`),

  dashboard: (eventId: Id) => call<Dashboard>(`${ev(eventId)}/dashboard`),
  dashboardCsvUrl: (eventId: Id, lang: 'nl' | 'en') =>
    `${ev(eventId)}/dashboard.csv?lang=${lang}&decimal=${lang === 'nl' ? 'comma' : 'dot'}&bom=1`,
  impact: () => call<Impact>(`${BASE}/impact`),

  // The maker's own side.
  makerEvents: () => call<{ events: MakerEventSummary[] }>(`${BASE}/events`),
  makerEvent: (eventId: Id) => call<MakerEventView>(ev(eventId)),
  makerResults: (eventId: Id) => call<MakerResultsAnswer>(`${ev(eventId)}/results`),
  getProfile: () => call<{ profile: MakerProfile }>(`${BASE}/profile`),
  saveProfile: (profile: MakerProfileInput) =>
    call<{ profile: MakerProfile }>(`${BASE}/profile`, { method: 'PUT', body: profile }),
  uploadPhoto: (file: Blob) =>
    call<{ photoId: Id; url: string }>(`${BASE}/profile/photos`, { method: 'POST', raw: file }),
  deletePhoto: (photoId: Id) =>
    call<void>(`${BASE}/profile/photos/${encodeURIComponent(photoId)}`, { method: 'DELETE' }),
  getSharing: () => call<{ sharesFigures: boolean }>(`${BASE}/sharing`),
  setSharing: (sharesFigures: boolean) =>
    call<{ sharesFigures: boolean }>(`${BASE}/sharing`, { method: 'PUT', body: { sharesFigures } }),

  // Invitations are the accounts API's (src/routes/api/invitations).
  listInvitations: () => call<{ invitations: ListedInvitation[] }>('/api/invitations'),
  createInvitation: (role: 'maker' | 'helper' | 'organiser' = 'maker', note = '') =>
    call<CreatedInvitation>('/api/invitations', {
      method: 'POST',
      body: note.trim() ? { role, note } : { role },
    }),
  listApplications: (eventId: Id) =>
    call<{ applications: Application[] }>(
      `${BASE}/events/${encodeURIComponent(eventId)}/applications`,
    ),
  decideApplication: (eventId: Id, applicationId: Id, body: ApplicationDecisionBody) =>
    call<{ application: Application }>(
      `${BASE}/events/${encodeURIComponent(eventId)}/applications/${encodeURIComponent(applicationId)}`,
      { method: 'POST', body },
    ),
  applicationPhotoUrl: (eventId: Id, applicationId: Id, photoId: Id) =>
    `${BASE}/events/${encodeURIComponent(eventId)}/applications/${encodeURIComponent(applicationId)}/photos/${encodeURIComponent(photoId)}`,
  revokeInvitation: (id: Id) =>
    call<{ invitation: InvitationInfo }>(`/api/invitations/${encodeURIComponent(id)}/revoke`, {
      method: 'POST',
    }),
};

/** Who is signed in (the accounts API), to tell organisers from makers. */
export interface Me {
  user: { id: Id; name: string; email: string };
  membership: {
    role: 'organiser' | 'maker' | 'helper';
    organisationName: string;
    makerId: Id | null;
  } | null;
}
export const fetchMe = () => call<Me>('/api/me');
