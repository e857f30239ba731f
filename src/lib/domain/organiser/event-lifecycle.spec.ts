import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventStatus, Stall, StallAssignment } from '../types';
import {
  allowedTransitions,
  editionNumber,
  isPublicStatus,
  latestEdition,
  nextEdition,
  previousEditionFor,
  REOPEN_WINDOW_MS,
  seriesEditions,
  transitionEvent,
  validateEventDetails,
  validateSeriesName,
  type EventSeries,
  type NextEditionInput,
  type OrganisedEvent,
} from './event-lifecycle';
import type { Landmark } from './stall-map';

const SEED = { seed: 20261, numRuns: 300 };
const NOW = Date.UTC(2026, 2, 14, 17, 0);
const HOUR = 3_600_000;

const details = {
  name: 'Pop-up Bazaar maart',
  date: '2026-03-14',
  opensAt: '11:00',
  closesAt: '17:00',
  place: 'Damplein 1, Leidschendam',
  description: 'Makers uit de buurt.',
};

function event(overrides: Partial<OrganisedEvent> = {}): OrganisedEvent {
  return {
    id: 'ev-1',
    organisationId: 'org-1',
    seriesId: 'series-1',
    status: 'draft',
    origin: 'server',
    closedAt: null,
    createdAt: 1,
    updatedAt: 1,
    ...details,
    ...overrides,
  };
}

describe('validateEventDetails', () => {
  it('[EV1] accepts a complete event and trims it; empty times become null', () => {
    expect(validateEventDetails({ ...details, name: '  Bazaar  ' })).toEqual({
      ok: true,
      value: { ...details, name: 'Bazaar' },
    });
    expect(validateEventDetails({ ...details, opensAt: '', closesAt: null })).toMatchObject({
      ok: true,
      value: { opensAt: null, closesAt: null },
    });
    expect(validateEventDetails({ ...details, opensAt: '١١:٠٠' })).toMatchObject({
      ok: true,
      value: { opensAt: '11:00' },
    });
  });

  it('[EV1] reports every bad field at once, as codes', () => {
    expect(
      validateEventDetails({
        name: ' ',
        date: '2026-02-30',
        opensAt: '9:00',
        closesAt: '25:00',
        place: 'x'.repeat(121),
        description: 'y'.repeat(2001),
      }),
    ).toEqual({
      ok: false,
      errors: {
        name: 'required',
        date: 'invalid-date',
        opensAt: 'invalid-time',
        closesAt: 'invalid-time',
        place: 'too-long',
        description: 'too-long',
      },
    });
  });

  it('[EV1] closing must be strictly after opening', () => {
    expect(validateEventDetails({ ...details, closesAt: '11:00' })).toEqual({
      ok: false,
      errors: { closesAt: 'closes-before-opens' },
    });
    expect(validateEventDetails({ ...details, closesAt: '10:59' })).toEqual({
      ok: false,
      errors: { closesAt: 'closes-before-opens' },
    });
    expect(validateEventDetails({ ...details, closesAt: '11:01' }).ok).toBe(true);
  });

  it('[EV1] a date before today is refused only when today is given', () => {
    expect(validateEventDetails({ ...details, date: '' })).toEqual({
      ok: false,
      errors: { date: 'required' },
    });
    expect(validateEventDetails(details, { today: '2026-03-15' })).toEqual({
      ok: false,
      errors: { date: 'date-in-past' },
    });
    expect(validateEventDetails(details, { today: '2026-03-14' }).ok).toBe(true);
    expect(validateEventDetails(details).ok).toBe(true);
  });

  it('[EV1] series names: required, at most 80 characters', () => {
    expect(validateSeriesName('  Pop-up Bazaar Leidschendam ')).toEqual({
      ok: true,
      value: 'Pop-up Bazaar Leidschendam',
    });
    expect(validateSeriesName('')).toEqual({ ok: false, error: 'required' });
    expect(validateSeriesName('x'.repeat(81))).toEqual({ ok: false, error: 'too-long' });
  });
});

const STATUSES: EventStatus[] = ['draft', 'published', 'open', 'closed'];
const ALLOWED = new Set([
  'draft>published',
  'published>draft',
  'published>open',
  'open>closed',
  'closed>open',
]);

describe('transitionEvent', () => {
  it('[EV2] allows exactly draft>published, published>draft|open, open>closed, closed>open', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        const start = event({ status: from, closedAt: from === 'closed' ? NOW - HOUR : null });
        const result = transitionEvent(start, to, NOW);
        if (from === to) {
          expect(result).toEqual({ ok: false, error: { code: 'same-status', status: from } });
        } else if (ALLOWED.has(`${from}>${to}`)) {
          expect(result.ok, `${from}>${to}`).toBe(true);
        } else {
          expect(result).toEqual({ ok: false, error: { code: 'not-allowed', from, to } });
        }
      }
    }
  });

  it('[EV3] closing records closedAt and updatedAt; the input is not changed', () => {
    const open = event({ status: 'open' });
    const result = transitionEvent(open, 'closed', NOW);
    expect(result).toEqual({
      ok: true,
      event: { ...open, status: 'closed', closedAt: NOW, updatedAt: NOW },
    });
    expect(open.status).toBe('open');
    expect(open.closedAt).toBeNull();
  });

  it('[EV4] reopening is allowed within 24 hours of closing, and clears closedAt', () => {
    const closed = event({ status: 'closed', closedAt: NOW });
    expect(transitionEvent(closed, 'open', NOW + REOPEN_WINDOW_MS)).toMatchObject({
      ok: true,
      event: { status: 'open', closedAt: null },
    });
    expect(transitionEvent(closed, 'open', NOW + REOPEN_WINDOW_MS + 1)).toEqual({
      ok: false,
      error: { code: 'reopen-window-passed', closedAt: NOW },
    });
    expect(allowedTransitions(closed, NOW + HOUR)).toEqual(['open']);
    expect(allowedTransitions(closed, NOW + REOPEN_WINDOW_MS + 1)).toEqual([]);
    expect(allowedTransitions({ status: 'closed', closedAt: null }, NOW)).toEqual([]);
  });

  it('[EV5] publishing needs valid details and a place and opening hours', () => {
    expect(transitionEvent(event({ date: '2026-13-01' }), 'published', NOW)).toEqual({
      ok: false,
      error: { code: 'invalid-details', errors: { date: 'invalid-date' } },
    });
    expect(
      transitionEvent(event({ place: ' ', opensAt: null, closesAt: null }), 'published', NOW),
    ).toEqual({
      ok: false,
      error: { code: 'incomplete-details', missing: ['place', 'opensAt', 'closesAt'] },
    });
    expect(transitionEvent(event(), 'published', NOW)).toMatchObject({
      ok: true,
      event: { status: 'published' },
    });
  });

  it('[EV2][EV3] any sequence of attempts keeps closedAt set exactly when closed', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ to: fc.constantFrom(...STATUSES), wait: fc.integer({ min: 0, max: 30 }) }),
          { maxLength: 30 },
        ),
        (steps) => {
          let current = event();
          let now = NOW;
          for (const step of steps) {
            now += step.wait * HOUR;
            const before = current.status;
            const result = transitionEvent(current, step.to, now);
            if (result.ok) {
              expect(ALLOWED.has(`${before}>${step.to}`)).toBe(true);
              current = result.event;
            }
            expect(current.closedAt !== null).toBe(current.status === 'closed');
            expect(allowedTransitions(current, now).every((to) => to !== current.status)).toBe(
              true,
            );
          }
        },
      ),
      SEED,
    );
  });

  it('[EV6] only a draft is hidden from the public', () => {
    expect(STATUSES.filter(isPublicStatus)).toEqual(['published', 'open', 'closed']);
  });
});

describe('series and editions', () => {
  const editions = [
    event({ id: 'c', date: '2026-03-14', createdAt: 30 }),
    event({ id: 'a', date: '2026-01-10', createdAt: 10 }),
    event({ id: 'other', seriesId: 'series-2', date: '2026-02-01' }),
    event({ id: 'b2', date: '2026-02-14', createdAt: 21 }),
    event({ id: 'b1', date: '2026-02-14', createdAt: 20 }),
    event({ id: 'solo', seriesId: null, date: '2026-02-20' }),
  ];

  it('[EV7] numbers editions 1, 2, 3 ... by date, then creation time', () => {
    expect(seriesEditions(editions, 'series-1').map((e) => [e.event.id, e.editionNumber])).toEqual([
      ['a', 1],
      ['b1', 2],
      ['b2', 3],
      ['c', 4],
    ]);
    expect(editionNumber(editions, 'c')).toBe(4);
    expect(editionNumber(editions, 'other')).toBe(1);
    expect(editionNumber(editions, 'solo')).toBeNull();
    expect(editionNumber(editions, 'missing')).toBeNull();
    expect(latestEdition(editions, 'series-1')?.id).toBe('c');
    expect(latestEdition(editions, 'series-9')).toBeNull();
  });

  it('[EV7] deleting an edition renumbers the later ones without gaps', () => {
    const without = editions.filter((e) => e.id !== 'b1');
    expect(seriesEditions(without, 'series-1').map((e) => e.editionNumber)).toEqual([1, 2, 3]);
  });

  it('[EV8] the previous edition is the latest earlier one the maker took part in', () => {
    const current = editions[0] as OrganisedEvent;
    expect(previousEditionFor(editions, current, new Set(['a', 'b1', 'c']))?.id).toBe('b1');
    expect(previousEditionFor(editions, current, new Set(['a', 'other']))?.id).toBe('a');
    expect(previousEditionFor(editions, current, new Set(['c']))).toBeNull();
    const solo = editions[5] as OrganisedEvent;
    expect(previousEditionFor(editions, solo, new Set(['a']))).toBeNull();
  });
});

describe('nextEdition', () => {
  const series: EventSeries = {
    id: 'series-1',
    organisationId: 'org-1',
    name: 'Pop-up Bazaar Leidschendam',
    createdAt: 0,
  };
  const last = event({ id: 'ev-1', status: 'closed', closedAt: NOW });
  const stall = (id: string, label: string, eventId = 'ev-1'): Stall => ({
    id,
    eventId,
    label,
    x: 0,
    y: 0,
    width: 2,
    height: 2,
    notes: 'by the window',
    power: true,
    table: false,
    foodHygiene: true,
  });
  const stalls = [stall('s1', 'A1'), stall('s2', 'A2'), stall('x1', 'Z9', 'ev-other')];
  const landmarks: Landmark[] = [
    { id: 'l1', eventId: 'ev-1', kind: 'entrance', label: '', x: 5, y: 0, width: 2, height: 1 },
  ];
  const assignments: StallAssignment[] = [
    {
      id: 'as1',
      eventId: 'ev-1',
      stallId: 's1',
      makerId: 'v1',
      arrivalTime: '09:30',
      instructions: 'Side door',
    },
    {
      id: 'as2',
      eventId: 'ev-1',
      stallId: 's2',
      makerId: 'v9',
      arrivalTime: null,
      instructions: '',
    },
  ];
  function input(overrides: Partial<NextEditionInput> = {}): NextEditionInput {
    let n = 0;
    return {
      series,
      lastEvent: last,
      map: { eventId: 'ev-1', width: 20, height: 12 },
      stalls,
      landmarks,
      assignments,
      invitedMakerIds: ['v1', 'v2', 'v1'],
      date: '2026-04-11',
      newId: () => `new-${++n}`,
      now: NOW + 1000,
      ...overrides,
    };
  }

  it('[EV9] copies details, map, stalls and landmarks under new ids into a draft', () => {
    const result = nextEdition(input());
    if (!result.ok) throw new Error(result.error);
    const { event: next, map, stalls: copied, landmarks: copiedLandmarks } = result.value;
    expect(next).toEqual({
      ...last,
      id: 'new-1',
      date: '2026-04-11',
      status: 'draft',
      closedAt: null,
      createdAt: NOW + 1000,
      updatedAt: NOW + 1000,
    });
    expect(map).toEqual({ eventId: 'new-1', width: 20, height: 12 });
    expect(copied).toEqual([
      { ...stall('s1', 'A1'), id: 'new-2', eventId: 'new-1' },
      { ...stall('s2', 'A2'), id: 'new-3', eventId: 'new-1' },
    ]);
    expect(copiedLandmarks).toEqual([{ ...landmarks[0], id: 'new-4', eventId: 'new-1' }]);
    expect(stalls[0]?.id).toBe('s1');
  });

  it('[EV9] copies invited makers (once each) but not assignments by default', () => {
    const result = nextEdition(input());
    expect(result.ok && result.value.assignments).toEqual([]);
    expect(result.ok && result.value.invitedMakerIds).toEqual(['v1', 'v2']);
  });

  it('[EV9] with copyAssignments each assignment follows its stall, and its maker is invited', () => {
    const result = nextEdition(input({ copyAssignments: true, name: 'Bazaar april' }));
    if (!result.ok) throw new Error(result.error);
    expect(result.value.event.name).toBe('Bazaar april');
    expect(result.value.assignments).toEqual([
      { ...assignments[0], id: 'new-5', eventId: 'new-1', stallId: 'new-2' },
      { ...assignments[1], id: 'new-6', eventId: 'new-1', stallId: 'new-3' },
    ]);
    expect(result.value.invitedMakerIds).toEqual(['v1', 'v2', 'v9']);
  });

  it('[EV9] refuses another series, a bad date, or a date not after the last edition', () => {
    expect(nextEdition(input({ series: { ...series, id: 'series-2' } }))).toEqual({
      ok: false,
      error: 'not-in-series',
    });
    expect(nextEdition(input({ date: '2026-04-31' }))).toEqual({
      ok: false,
      error: 'invalid-date',
    });
    expect(nextEdition(input({ date: '2026-03-14' }))).toEqual({
      ok: false,
      error: 'date-not-after-last',
    });
  });
});
