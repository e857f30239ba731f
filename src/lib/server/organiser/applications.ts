// Applications of new makers to a published event (issue 12). No account is needed to apply:
// the public form (the event's page /e/<id>, or POST /api/public/events/<id>/applications)
// takes a name, craft, contact, the preferred language, consent to be contacted and up to
// two photos. The applicant gets a status page (/application/<token>; only the token's
// SHA-256 is stored). Kraam sends no e-mail, so that page is where the answer arrives: a
// waiting-list or decline message in the maker's language, or, once accepted, the
// invitation link to join with. The organiser sees the link too, to send it another way.
//
// Bounds: counted per client address before anything is read (http/public-form-limit.ts),
// the body read up to MAX_APPLICATION_BYTES, each photo at most MAX_PHOTO_BYTES of JPEG, PNG
// or WebP (by its bytes), at most MAX_APPLICATIONS_PER_EVENT open applications per event.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import { INVITATION_NOTE_MAX } from '$lib/domain/organiser/invitations';
import {
  APPLICATION_TEXT_MAX,
  applicationFormSchema,
  type Application,
  type ApplicationDecisionBody,
  type ApplicationStatus,
} from '$lib/organiser/contract';
import { locales } from '$lib/paraglide/runtime';
import {
  createInvitation,
  derivedInvitationToken,
  hashInvitationToken,
} from '$lib/server/accounts/invitations';
import type { Db, Tx } from '$lib/server/db';
import { applicationPhotos, events, invitations, makerApplications } from '$lib/server/db/schema';
import { ApiError, checkInput, conflict, notFound } from '$lib/server/http';
import { readBodyBytes } from '$lib/server/http/body';
import { domainError } from './errors';
import { loadEvent } from './event-rows';
import { MAX_PHOTO_BYTES, PHOTO_TYPES, sniffImageType, type PhotoType } from './photos';

export const MAX_APPLICATION_PHOTOS = 2;
/** Two photos and the text fields with room for multipart's boundaries. */
export const MAX_APPLICATION_BYTES = MAX_APPLICATION_PHOTOS * MAX_PHOTO_BYTES + 64 * 1024;
/** Applications not yet decided (new or waiting) an event holds at most. */
export const MAX_APPLICATIONS_PER_EVENT = 500;

const formSchema = applicationFormSchema(locales);
export type ApplicationForm = ReturnType<typeof formSchema.parse>;

export interface ApplicationPhoto {
  type: PhotoType;
  bytes: Uint8Array;
}

// ---------------------------------------------------------------------------------------
// Reading the form

function readBounded(request: Request, max: number): Promise<Uint8Array> {
  return readBodyBytes(request, max, tooLarge);
}

function tooLarge(): ApiError {
  return new ApiError(
    413,
    'payload_too_large',
    `An application is at most ${MAX_APPLICATION_PHOTOS} photos of ${MAX_PHOTO_BYTES} bytes each: scale the photos down first.`,
    [{ path: 'photos', message: `at most ${MAX_PHOTO_BYTES} bytes each` }],
  );
}

/**
 * The form as sent (multipart/form-data, or url-encoded without photos): its text fields,
 * validated (400 for the shape, 422 naming the field for a refused value), and its photos.
 */
export async function readApplicationForm(
  request: Request,
): Promise<{ form: ApplicationForm; photos: ApplicationPhoto[] }> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'multipart/form-data' && type !== 'application/x-www-form-urlencoded') {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send the application as multipart/form-data (got "${type || 'none'}").`,
    );
  }
  const bytes = await readBounded(request, MAX_APPLICATION_BYTES);
  let data: FormData;
  try {
    data = await new Response(bytes as unknown as BodyInit, {
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
    }).formData();
  } catch {
    throw new ApiError(400, 'malformed_body', 'The form could not be read (malformed multipart).');
  }
  const fields: Record<string, string> = {};
  const files: File[] = [];
  for (const [key, value] of data.entries()) {
    if (typeof value !== 'string') {
      if (key !== 'photos') {
        throw new ApiError(
          400,
          'validation_failed',
          `Only "photos" may be a file (got "${key}").`,
          [{ path: key, message: 'not a file field' }],
        );
      }
      // A browser sends an empty part when no photo was chosen.
      if (value.size > 0) files.push(value);
      continue;
    }
    if (key in fields) {
      throw new ApiError(400, 'validation_failed', `The field "${key}" was sent twice.`, [
        { path: key, message: 'sent twice' },
      ]);
    }
    fields[key] = value;
  }
  // An unticked checkbox is not sent at all: that is consent not given, not a wrong shape.
  fields.consent ??= '';
  const form = checkInput(formSchema, fields, 'application');
  if (files.length > MAX_APPLICATION_PHOTOS) {
    throw domainError(
      422,
      'invalid_value',
      `At most ${MAX_APPLICATION_PHOTOS} photos (got ${files.length}).`,
      [{ path: 'photos', message: `at most ${MAX_APPLICATION_PHOTOS}`, code: 'too-long' }],
    );
  }
  const photos: ApplicationPhoto[] = [];
  for (const [index, file] of files.entries()) {
    if (file.size > MAX_PHOTO_BYTES) throw tooLarge();
    const photoBytes = new Uint8Array(await file.arrayBuffer());
    const sniffed = sniffImageType(photoBytes);
    if (!sniffed) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `Photo ${index + 1} is not a ${PHOTO_TYPES.join(', ')} image.`,
        [{ path: `photos.${index}`, message: 'not a JPEG, PNG or WebP image' }],
      );
    }
    photos.push({ type: sniffed, bytes: photoBytes });
  }
  return { form, photos };
}

// ---------------------------------------------------------------------------------------
// Applying

export function newStatusToken(): string {
  return randomBytes(32).toString('base64url');
}

const STATUS_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** The event a public application may be made to: published or open, of an organisation. */
async function applicableEvent(db: Db | Tx, eventId: string) {
  const [event] = await db
    .select({ id: events.id, organisationId: events.organisationId, status: events.status })
    .from(events)
    .where(eq(events.id, eventId));
  if (!event?.organisationId || event.status === 'draft') {
    throw notFound('There is no public event with this address.');
  }
  if (event.status === 'closed') {
    throw conflict('applications_closed', 'This event is over: it takes no more applications.');
  }
  return { ...event, organisationId: event.organisationId };
}

export async function submitApplication(
  db: Db,
  eventId: string,
  form: ApplicationForm,
  photos: readonly ApplicationPhoto[],
  now = new Date(),
): Promise<{ id: string; statusToken: string }> {
  return db.transaction(async (tx) => {
    const event = await applicableEvent(tx, eventId);
    // One event's applications are counted under its lock (several processes: no overshoot).
    await tx.execute(sql`select 1 from ${events} where ${events.id} = ${eventId} for update`);
    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(makerApplications)
      .where(
        and(
          eq(makerApplications.eventId, eventId),
          inArray(makerApplications.status, ['new', 'waiting']),
        ),
      );
    if ((open?.n ?? 0) >= MAX_APPLICATIONS_PER_EVENT) {
      throw conflict(
        'applications_full',
        'This event has as many open applications as it can take: ask the organiser directly.',
      );
    }
    const id = uuidv7();
    const statusToken = newStatusToken();
    await tx.insert(makerApplications).values({
      id,
      eventId,
      organisationId: event.organisationId,
      name: form.name,
      craft: form.craft,
      contact: form.contact,
      language: form.language,
      consentAt: now,
      statusTokenHash: hashToken(statusToken),
      createdAt: now,
    });
    for (const photo of photos) {
      await tx.insert(applicationPhotos).values({
        id: uuidv7(),
        applicationId: id,
        mimeType: photo.type,
        bytes: photo.bytes,
        size: photo.bytes.byteLength,
      });
    }
    return { id, statusToken };
  });
}

/** What the applicant sees on their status page. */
export interface ApplicationStatusView {
  eventId: string;
  eventName: string;
  eventDate: string;
  name: string;
  language: string;
  status: ApplicationStatus;
  message: string | null;
  /** Once accepted and while the link is open: the invitation's token. */
  invitationToken: string | null;
}

export async function applicationStatus(
  db: Db,
  token: string,
  linkKey?: string,
  now = new Date(),
): Promise<ApplicationStatusView | null> {
  if (!STATUS_TOKEN_PATTERN.test(token)) return null;
  const [row] = await db
    .select({ application: makerApplications, eventName: events.name, eventDate: events.date })
    .from(makerApplications)
    .innerJoin(events, eq(events.id, makerApplications.eventId))
    .where(eq(makerApplications.statusTokenHash, hashToken(token)));
  if (!row) return null;
  const { application } = row;
  const links = await invitationLinks(db, [application], linkKey, now);
  return {
    eventId: application.eventId,
    eventName: row.eventName,
    eventDate: row.eventDate,
    name: application.name,
    language: application.language,
    status: application.status,
    message: application.message,
    invitationToken: links.get(application.id)?.token ?? null,
  };
}

// ---------------------------------------------------------------------------------------
// The organiser's side

type ApplicationRow = typeof makerApplications.$inferSelect;

/** Per application with an invitation: its state, and its token while open and derivable. */
async function invitationLinks(
  db: Db | Tx,
  rows: readonly ApplicationRow[],
  linkKey: string | undefined,
  now: Date,
): Promise<Map<string, { token: string | null; status: Application['invitationStatus'] }>> {
  const ids = rows.flatMap((r) => (r.invitationId ? [r.invitationId] : []));
  const result = new Map<
    string,
    { token: string | null; status: Application['invitationStatus'] }
  >();
  if (ids.length === 0) return result;
  const found = await db.select().from(invitations).where(inArray(invitations.id, ids));
  const byId = new Map(found.map((i) => [i.id, i]));
  for (const row of rows) {
    const invitation = row.invitationId ? byId.get(row.invitationId) : undefined;
    if (!invitation) continue;
    const status = invitation.usedAt
      ? 'used'
      : invitation.revokedAt
        ? 'revoked'
        : invitation.expiresAt.getTime() <= now.getTime()
          ? 'expired'
          : 'valid';
    let token: string | null = null;
    if (status === 'valid' && linkKey) {
      const derived = derivedInvitationToken(linkKey, invitation.id);
      if (hashInvitationToken(derived) === invitation.tokenHash) token = derived;
    }
    result.set(row.id, { token, status });
  }
  return result;
}

async function toApplications(
  db: Db | Tx,
  rows: readonly ApplicationRow[],
  linkUrl: (token: string) => string,
  linkKey: string | undefined,
  now: Date,
): Promise<Application[]> {
  const photoRows =
    rows.length === 0
      ? []
      : await db
          .select({ id: applicationPhotos.id, applicationId: applicationPhotos.applicationId })
          .from(applicationPhotos)
          .where(
            inArray(
              applicationPhotos.applicationId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(asc(applicationPhotos.id));
  const links = await invitationLinks(db, rows, linkKey, now);
  return rows.map((row) => {
    const link = links.get(row.id);
    return {
      id: row.id,
      eventId: row.eventId,
      name: row.name,
      craft: row.craft,
      contact: row.contact,
      language: row.language,
      status: row.status,
      message: row.message,
      createdAt: row.createdAt.toISOString(),
      decidedAt: row.decidedAt?.toISOString() ?? null,
      photoIds: photoRows.filter((p) => p.applicationId === row.id).map((p) => p.id),
      invitationUrl: link?.token ? linkUrl(link.token) : null,
      invitationStatus: link?.status ?? null,
    };
  });
}

export interface LinkOptions {
  /** The invitation's URL for a token (accounts/invitation-link.ts). */
  linkUrl: (token: string) => string;
  linkKey?: string;
  now?: Date;
}

/** An event's applications, oldest first (404 for another organisation's event). */
export async function listApplications(
  db: Db,
  organisationId: string,
  eventId: string,
  options: LinkOptions,
): Promise<Application[]> {
  await loadEvent(db, organisationId, eventId);
  const rows = await db
    .select()
    .from(makerApplications)
    .where(
      and(
        eq(makerApplications.eventId, eventId),
        eq(makerApplications.organisationId, organisationId),
      ),
    )
    .orderBy(asc(makerApplications.createdAt), asc(makerApplications.id));
  return toApplications(db, rows, options.linkUrl, options.linkKey, options.now ?? new Date());
}

const NEXT: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  new: ['waiting', 'accepted', 'declined'],
  waiting: ['waiting', 'accepted', 'declined'],
  accepted: [],
  declined: [],
};
const STATUS_OF = { accept: 'accepted', wait: 'waiting', decline: 'declined' } as const;

/**
 * Accept (an invitation for a maker is made, with the applicant's name and craft as its
 * note), put on the waiting list, or decline with a message. Accepted and declined are final
 * (409). One transaction, the application locked: two organisers deciding at once cannot
 * make two invitations.
 */
export async function decideApplication(
  db: Db,
  input: {
    organisationId: string;
    eventId: string;
    applicationId: string;
    decidedBy: string;
    body: ApplicationDecisionBody;
  } & LinkOptions,
): Promise<Application> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await loadEvent(tx, input.organisationId, input.eventId);
    const [row] = await tx
      .select()
      .from(makerApplications)
      .where(
        and(
          eq(makerApplications.id, input.applicationId),
          eq(makerApplications.eventId, input.eventId),
          eq(makerApplications.organisationId, input.organisationId),
        ),
      )
      .for('update');
    if (!row) throw notFound(`There is no application ${input.applicationId} for this event.`);
    const to = STATUS_OF[input.body.decision];
    if (!NEXT[row.status].includes(to)) {
      throw conflict(
        'application_decided',
        `This application was ${row.status} already; that is final.`,
      );
    }
    let invitationId: string | null = row.invitationId;
    if (to === 'accepted') {
      const note = `${row.name} · ${row.craft}`.slice(0, INVITATION_NOTE_MAX);
      const made = await createInvitation(tx, {
        organisationId: input.organisationId,
        role: 'maker',
        createdBy: input.decidedBy,
        note,
        now,
        ...(input.linkKey ? { linkKey: input.linkKey } : {}),
      });
      invitationId = made.invitation.id;
    }
    const message = input.body.message?.slice(0, APPLICATION_TEXT_MAX.message) || null;
    const [updated] = await tx
      .update(makerApplications)
      .set({ status: to, message, decidedAt: now, decidedBy: input.decidedBy, invitationId })
      .where(and(eq(makerApplications.id, row.id), ne(makerApplications.status, 'accepted')))
      .returning();
    if (!updated) throw new Error('the locked application was not updated');
    const [view] = await toApplications(tx, [updated], input.linkUrl, input.linkKey, now);
    if (!view) throw new Error('no view of the application');
    return view;
  });
}

/** A photo of an application of the organisation's event (404 otherwise). */
export async function applicationPhoto(
  db: Db,
  organisationId: string,
  eventId: string,
  applicationId: string,
  photoId: string,
): Promise<{ mimeType: string; bytes: Uint8Array }> {
  const [row] = await db
    .select({ mimeType: applicationPhotos.mimeType, bytes: applicationPhotos.bytes })
    .from(applicationPhotos)
    .innerJoin(makerApplications, eq(makerApplications.id, applicationPhotos.applicationId))
    .where(
      and(
        eq(applicationPhotos.id, photoId),
        eq(applicationPhotos.applicationId, applicationId),
        eq(makerApplications.eventId, eventId),
        eq(makerApplications.organisationId, organisationId),
      ),
    );
  if (!row) throw notFound(`There is no photo ${photoId} of this application.`);
  return row;
}
