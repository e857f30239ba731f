// New makers apply to a published event with no account; the organiser accepts (an
// invitation is made), puts them on the waiting list or declines with a message (issue 12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, listInvitations, lookupInvitation } from '$lib/server/accounts';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { countFormRequest } from '$lib/server/http/public-form-limit';
import { createUser } from '$lib/server/sync/testing';
import {
  applicationPhoto,
  applicationStatus,
  decideApplication,
  listApplications,
  MAX_APPLICATION_PHOTOS,
  readApplicationForm,
  submitApplication,
  type ApplicationForm,
} from './applications';
import { changeEventStatus } from './events';
import { MAX_PHOTO_BYTES } from './photos';
import { refusal } from './spec-helpers';
import {
  draftEvent,
  organisationWithMakers,
  publishedEvent,
  type TestOrganisation,
} from './testing';

const KEY = 'a-test-link-key-of-at-least-32-characters';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const linkUrl = (token: string) => `http://kraam.test/invite/${token}`;

const FORM: ApplicationForm = {
  name: 'Amira Haddad',
  craft: 'Honey cakes',
  contact: '+31 6 1234 5678',
  language: 'ar',
  consent: 'yes',
};

function formRequest(
  fields: Record<string, string>,
  photos: { bytes: Uint8Array; type?: string }[] = [],
): Request {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  for (const [i, photo] of photos.entries()) {
    data.append(
      'photos',
      new Blob([photo.bytes as BlobPart], { type: photo.type ?? 'image/png' }),
      `p${i}.png`,
    );
  }
  return new Request('http://kraam.test/apply', { method: 'POST', body: data });
}

describe('the public application form (reading it)', () => {
  it('reads the fields and up to two photos (an empty file part is no photo)', async () => {
    const { form, photos } = await readApplicationForm(
      formRequest({ ...FORM }, [{ bytes: PNG }, { bytes: new Uint8Array(), type: 'image/png' }]),
    );
    expect(form).toEqual(FORM);
    expect(photos).toHaveLength(1);
    expect(photos[0]?.type).toBe('image/png');
  });

  it('refuses consent not given, empty or unsafe text, naming the field (422)', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ ...FORM, consent: 'no' }, 'consent'],
      [{ name: FORM.name, craft: FORM.craft, contact: FORM.contact, language: 'nl' }, 'consent'],
      [{ ...FORM, name: '   ' }, 'name'],
      [{ ...FORM, craft: 'x'.repeat(201) }, 'craft'],
      [{ ...FORM, contact: 'a\u0000b' }, 'contact'],
    ];
    // (A lone surrogate cannot arrive in a form: multipart text is UTF-8, decoded with U+FFFD.)
    for (const [fields, field] of cases) {
      const error = await refusal(readApplicationForm(formRequest(fields)));
      expect(error.status, field).toBe(422);
      expect(error.issues?.map((i) => i.path)).toContain(field);
    }
  });

  it('refuses the wrong shape (400), a non-form body (415), bad or too many photos', async () => {
    const unknownLanguage = await refusal(
      readApplicationForm(formRequest({ ...FORM, language: 'xx' })),
    );
    expect(unknownLanguage.status).toBe(400);
    expect(unknownLanguage.issues?.map((i) => i.path)).toContain('language');
    expect((await refusal(readApplicationForm(formRequest({ ...FORM, extra: '1' })))).status).toBe(
      400,
    );
    const json = new Request('http://kraam.test/apply', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(FORM),
    });
    expect((await refusal(readApplicationForm(json))).status).toBe(415);
    const svg = new TextEncoder().encode('<svg onload="alert(1)"/>');
    const notImage = await refusal(readApplicationForm(formRequest(FORM, [{ bytes: svg }])));
    expect(notImage.status).toBe(415);
    expect(notImage.issues?.map((i) => i.path)).toContain('photos.0');
    const three = Array.from({ length: MAX_APPLICATION_PHOTOS + 1 }, () => ({ bytes: PNG }));
    const tooMany = await refusal(readApplicationForm(formRequest(FORM, three)));
    expect(tooMany.status).toBe(422);
    expect(tooMany.issues?.map((i) => i.path)).toContain('photos');
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
    big.set(PNG);
    expect((await refusal(readApplicationForm(formRequest(FORM, [{ bytes: big }])))).status).toBe(
      413,
    );
  });
});

describe.each(testDbKinds())('applications on %s', (kind) => {
  let t: TestDb;
  let orgA: TestOrganisation;
  let orgB: TestOrganisation;
  let eventId: string;

  beforeAll(async () => {
    t = await createTestDb(kind);
    orgA = await organisationWithMakers(t.db, 0, 'Bazaar A');
    orgB = await organisationWithMakers(t.db, 0, 'Bazaar B');
    eventId = (await publishedEvent(t.db, orgA.organisationId, 1)).event.id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const decide = (
    applicationId: string,
    body: Parameters<typeof decideApplication>[1]['body'],
    org = orgA,
  ) =>
    decideApplication(t.db, {
      organisationId: org.organisationId,
      eventId,
      applicationId,
      decidedBy: org.organiser.userId,
      body,
      linkUrl,
      linkKey: KEY,
    });

  it('an accepted application becomes an invitation with its note; the maker joins with it', async () => {
    const { id, statusToken } = await submitApplication(t.db, eventId, FORM, [
      { type: 'image/png', bytes: PNG },
    ]);
    const [listed] = await listApplications(t.db, orgA.organisationId, eventId, {
      linkUrl,
      linkKey: KEY,
    });
    expect(listed).toMatchObject({ id, name: 'Amira Haddad', status: 'new', language: 'ar' });
    expect(listed?.photoIds).toHaveLength(1);
    const photo = await applicationPhoto(
      t.db,
      orgA.organisationId,
      eventId,
      id,
      listed?.photoIds[0] ?? '',
    );
    expect(photo.mimeType).toBe('image/png');

    const accepted = await decide(id, { decision: 'accept' });
    expect(accepted.status).toBe('accepted');
    expect(accepted.invitationStatus).toBe('valid');
    const token = accepted.invitationUrl?.split('/invite/')[1] ?? '';
    expect((await lookupInvitation(t.db, token))?.status).toBe('valid');
    const invitations = await listInvitations(t.db, orgA.organisationId, new Date(), KEY);
    expect(invitations.find((i) => i.token === token)?.note).toBe('Amira Haddad · Honey cakes');
    // The applicant's status page shows the link too (no e-mail is sent).
    const status = await applicationStatus(t.db, statusToken, KEY);
    expect(status).toMatchObject({ status: 'accepted', invitationToken: token });

    const userId = await createUser(t.db, 'Amira');
    const membership = await acceptInvitation(t.db, token, userId);
    expect(membership).toMatchObject({ organisationId: orgA.organisationId, role: 'maker' });
    expect((await applicationStatus(t.db, statusToken, KEY))?.invitationToken).toBeNull();
    // Accepting is final: no second invitation.
    expect(await refusal(decide(id, { decision: 'accept' }))).toMatchObject({
      status: 409,
      code: 'application_decided',
    });
  });

  it('waiting list, then a decline with a message the applicant reads on their status page', async () => {
    const { id, statusToken } = await submitApplication(
      t.db,
      eventId,
      {
        ...FORM,
        name: 'Chen',
        language: 'nl',
      },
      [],
    );
    expect(
      (await decide(id, { decision: 'wait', message: 'Je staat op de wachtlijst.' })).status,
    ).toBe('waiting');
    expect(await applicationStatus(t.db, statusToken, KEY)).toMatchObject({
      status: 'waiting',
      message: 'Je staat op de wachtlijst.',
    });
    const declined = await decide(id, { decision: 'decline', message: 'Helaas is de markt vol.' });
    expect(declined).toMatchObject({ status: 'declined', invitationUrl: null });
    expect(await applicationStatus(t.db, statusToken, KEY)).toMatchObject({
      status: 'declined',
      message: 'Helaas is de markt vol.',
      language: 'nl',
      invitationToken: null,
    });
    expect(await applicationStatus(t.db, 'A'.repeat(43), KEY)).toBeNull();
    expect(await applicationStatus(t.db, 'not a token', KEY)).toBeNull();
  });

  it('[authz] another organisation sees and decides nothing of it (404)', async () => {
    const { id } = await submitApplication(t.db, eventId, FORM, [
      { type: 'image/png', bytes: PNG },
    ]);
    expect(
      await refusal(listApplications(t.db, orgB.organisationId, eventId, { linkUrl })),
    ).toMatchObject({ status: 404 });
    expect(await refusal(decide(id, { decision: 'accept' }, orgB))).toMatchObject({
      status: 404,
    });
    const [mine] = (await listApplications(t.db, orgA.organisationId, eventId, { linkUrl })).filter(
      (a) => a.id === id,
    );
    expect(
      await refusal(
        applicationPhoto(t.db, orgB.organisationId, eventId, id, mine?.photoIds[0] ?? ''),
      ),
    ).toMatchObject({ status: 404 });
    // An application of another event of the same organisation is not this event's.
    const other = await publishedEvent(t.db, orgA.organisationId, 1);
    expect(
      await refusal(
        decideApplication(t.db, {
          organisationId: orgA.organisationId,
          eventId: other.event.id,
          applicationId: id,
          decidedBy: orgA.organiser.userId,
          body: { decision: 'wait' },
          linkUrl,
        }),
      ),
    ).toMatchObject({ status: 404 });
  });

  it('only published and open events take applications: a draft is 404, a closed one 409', async () => {
    const draft = await draftEvent(t.db, orgA.organisationId);
    expect(await refusal(submitApplication(t.db, draft.id, FORM, []))).toMatchObject({
      status: 404,
    });
    const { event } = await publishedEvent(t.db, orgA.organisationId, 1);
    await changeEventStatus(t.db, orgA.organisationId, event.id, 'open');
    await submitApplication(t.db, event.id, FORM, []);
    await changeEventStatus(t.db, orgA.organisationId, event.id, 'closed');
    expect(await refusal(submitApplication(t.db, event.id, FORM, []))).toMatchObject({
      status: 409,
      code: 'applications_closed',
    });
  });

  it('the public form is rate limited per address in the database (429 with Retry-After)', async () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const limit = { max: 3, windowSeconds: 600 };
    for (let i = 0; i < 3; i++) await countFormRequest(t.db, 'apply', '10.0.0.1', now, limit);
    const refused = await refusal(countFormRequest(t.db, 'apply', '10.0.0.1', now, limit));
    expect(refused).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(refused.headers?.['retry-after']).toBe('600');
    // Another address is counted apart; a new window starts afresh.
    await countFormRequest(t.db, 'apply', '10.0.0.2', now, limit);
    const later = new Date(now.getTime() + 601_000);
    await countFormRequest(t.db, 'apply', '10.0.0.1', later, limit);
    // Concurrent requests cannot overshoot: exactly `max` of a burst pass.
    const burst = await Promise.allSettled(
      Array.from({ length: 8 }, () => countFormRequest(t.db, 'apply', '10.0.0.3', now, limit)),
    );
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
  });
});
