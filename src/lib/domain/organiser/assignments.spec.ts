import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent, Stall, StallAssignment } from '../types';
import {
  assignmentConflicts,
  assignMaker,
  feeDue,
  feeOverview,
  feeStatus,
  gridDistance,
  moveAssignment,
  unassign,
  validateAssignmentDetails,
  makerStallView,
} from './assignments';
import type { StallNeeds } from './maker-profile';
import type { Landmark } from './stall-map';

const SEED = { seed: 9001, numRuns: 300 };

function stall(id: string, label: string, x = 0, y = 0, extra: Partial<Stall> = {}): Stall {
  return {
    id,
    eventId: 'ev',
    label,
    x,
    y,
    width: 2,
    height: 2,
    notes: '',
    power: false,
    table: false,
    foodHygiene: false,
    ...extra,
  };
}

function assignment(id: string, stallId: string, makerId: string, eventId = 'ev'): StallAssignment {
  return { id, eventId, stallId, makerId, arrivalTime: null, instructions: '' };
}

const stalls = [stall('s1', 'A1', 0, 0), stall('s2', 'A2', 3, 0), stall('s3', 'A3', 6, 0)];

function ids() {
  let n = 0;
  return () => `as-${++n}`;
}

describe('assignMaker', () => {
  it('[A1] puts a maker on a free stall', () => {
    const result = assignMaker({
      stalls,
      assignments: [],
      makerId: 'v1',
      stallId: 's1',
      newId: ids(),
      arrivalTime: '09:30',
    });
    expect(result).toEqual({
      ok: true,
      assignment: { ...assignment('as-1', 's1', 'v1'), arrivalTime: '09:30' },
      assignments: [{ ...assignment('as-1', 's1', 'v1'), arrivalTime: '09:30' }],
      changed: true,
    });
  });

  it('[A1] refuses an unknown stall, a taken stall (saying by whom), a second stall', () => {
    const current = [assignment('x', 's1', 'v1')];
    const base = { stalls, assignments: current, newId: ids() };
    expect(assignMaker({ ...base, makerId: 'v2', stallId: 'nope' })).toEqual({
      ok: false,
      error: { code: 'unknown-stall', stallId: 'nope' },
    });
    expect(assignMaker({ ...base, makerId: 'v2', stallId: 's1' })).toEqual({
      ok: false,
      error: { code: 'stall-taken', makerId: 'v1' },
    });
    expect(assignMaker({ ...base, makerId: 'v1', stallId: 's2' })).toEqual({
      ok: false,
      error: { code: 'maker-has-stall', stallId: 's1', label: 'A1' },
    });
    expect(
      assignMaker({ ...base, makerId: 'v1', stallId: 's2', allowMultiple: true }),
    ).toMatchObject({ ok: true, changed: true });
  });

  it('[A1] the stall the maker already has is no error and no change', () => {
    const current = [assignment('x', 's1', 'v1')];
    expect(
      assignMaker({ stalls, assignments: current, makerId: 'v1', stallId: 's1', newId: ids() }),
    ).toEqual({ ok: true, assignment: current[0], assignments: current, changed: false });
  });

  it('[A1] assignments of other events do not count', () => {
    const elsewhere = [assignment('x', 's1', 'v1', 'other-event')];
    expect(
      assignMaker({ stalls, assignments: elsewhere, makerId: 'v2', stallId: 's1', newId: ids() }),
    ).toMatchObject({ ok: true, changed: true });
  });

  it('[A2] through assign, move and unassign, no stall ever gets two makers, nor a maker two stalls', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('assign' as const),
        maker: fc.constantFrom('v1', 'v2', 'v3', 'v4'),
        stall: fc.constantFrom('s1', 's2', 's3', 's4'),
      }),
      fc.record({ kind: fc.constant('unassign' as const), index: fc.nat(5) }),
      fc.record({
        kind: fc.constant('move' as const),
        index: fc.nat(5),
        stall: fc.constantFrom('s1', 's2', 's3'),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let current: StallAssignment[] = [];
        const newId = ids();
        for (const o of ops) {
          if (o.kind === 'assign') {
            const r = assignMaker({
              stalls,
              assignments: current,
              makerId: o.maker,
              stallId: o.stall,
              newId,
            });
            if (r.ok) current = r.assignments;
          } else {
            const target = current[o.index % Math.max(1, current.length)];
            if (!target) continue;
            const r =
              o.kind === 'unassign'
                ? unassign(current, target.id)
                : moveAssignment({
                    stalls,
                    assignments: current,
                    assignmentId: target.id,
                    toStallId: o.stall,
                  });
            if (r.ok) current = r.assignments;
          }
          expect(new Set(current.map((a) => a.stallId)).size).toBe(current.length);
          expect(new Set(current.map((a) => a.makerId)).size).toBe(current.length);
          expect(assignmentConflicts(stalls, current, {})).toEqual([]);
        }
      }),
      SEED,
    );
  });
});

describe('unassign and moveAssignment', () => {
  const current = [
    { ...assignment('x', 's1', 'v1'), arrivalTime: '09:00', instructions: 'Back door' },
    assignment('y', 's2', 'v2'),
  ];

  it('[A3] unassign takes one assignment away, or says it does not exist', () => {
    expect(unassign(current, 'x')).toEqual({ ok: true, assignments: [current[1]] });
    expect(unassign(current, 'zz')).toEqual({ ok: false, error: 'unknown-assignment' });
  });

  it('[A3] a move keeps id, arrival and instructions; a taken stall is refused', () => {
    expect(
      moveAssignment({ stalls, assignments: current, assignmentId: 'x', toStallId: 's3' }),
    ).toEqual({
      ok: true,
      assignment: { ...current[0], stallId: 's3' },
      assignments: [{ ...current[0], stallId: 's3' }, current[1]],
      changed: true,
    });
    expect(
      moveAssignment({ stalls, assignments: current, assignmentId: 'x', toStallId: 's2' }),
    ).toEqual({ ok: false, error: { code: 'stall-taken', makerId: 'v2' } });
    expect(
      moveAssignment({ stalls, assignments: current, assignmentId: 'x', toStallId: 's1' }),
    ).toMatchObject({ ok: true, changed: false });
    expect(
      moveAssignment({ stalls, assignments: current, assignmentId: 'q', toStallId: 's3' }),
    ).toEqual({ ok: false, error: { code: 'unknown-assignment' } });
    expect(
      moveAssignment({ stalls, assignments: current, assignmentId: 'x', toStallId: 'zz' }),
    ).toEqual({ ok: false, error: { code: 'unknown-stall', stallId: 'zz' } });
  });

  it('[A3] arrival time is HH:MM before closing; instructions at most 500 characters', () => {
    expect(
      validateAssignmentDetails({ arrivalTime: ' 09:30 ', instructions: ' Side door ' }),
    ).toEqual({
      ok: true,
      value: { arrivalTime: '09:30', instructions: 'Side door' },
    });
    expect(validateAssignmentDetails({ arrivalTime: '', instructions: '' })).toEqual({
      ok: true,
      value: { arrivalTime: null, instructions: '' },
    });
    expect(
      validateAssignmentDetails(
        { arrivalTime: '17:00', instructions: 'x'.repeat(501) },
        { closesAt: '17:00' },
      ),
    ).toEqual({
      ok: false,
      errors: { arrivalTime: 'arrives-after-closing', instructions: 'too-long' },
    });
    expect(validateAssignmentDetails({ arrivalTime: '9u', instructions: '' })).toEqual({
      ok: false,
      errors: { arrivalTime: 'invalid-time' },
    });
  });
});

describe('assignmentConflicts', () => {
  const needsAll: StallNeeds = { power: true, table: true, foodHygiene: true, notes: '' };

  it('[A4] names each need a stall does not meet', () => {
    const equipped = [stall('s1', 'A1', 0, 0, { power: true }), stall('s2', 'A2', 3, 0)];
    expect(
      assignmentConflicts(equipped, [assignment('x', 's1', 'baker')], { baker: needsAll }),
    ).toEqual([
      { code: 'needs-table', makerId: 'baker', stallId: 's1', label: 'A1' },
      { code: 'needs-food-hygiene', makerId: 'baker', stallId: 's1', label: 'A1' },
    ]);
    const full = [stall('s1', 'A1', 0, 0, { power: true, table: true, foodHygiene: true })];
    expect(
      assignmentConflicts(full, [assignment('x', 's1', 'baker')], { baker: needsAll }),
    ).toEqual([]);
  });

  it('[A4] shows double bookings, several stalls and vanished stalls (e.g. arrived by sync)', () => {
    const messy = [
      assignment('a', 's2', 'v1'),
      assignment('b', 's2', 'v2'),
      assignment('c', 's1', 'v3'),
      assignment('d', 's3', 'v3'),
      assignment('e', 'gone', 'v4'),
    ];
    expect(assignmentConflicts(stalls, messy, {})).toEqual([
      { code: 'stall-double-booked', stallId: 's2', label: 'A2', makerIds: ['v1', 'v2'] },
      {
        code: 'maker-multiple-stalls',
        makerId: 'v3',
        stallIds: ['s1', 's3'],
        labels: ['A1', 'A3'],
      },
      { code: 'unknown-stall', assignmentId: 'e', makerId: 'v4', stallId: 'gone' },
    ]);
    expect(
      assignmentConflicts(stalls, messy, {}, { allowMultiple: true }).map((c) => c.code),
    ).toEqual(['stall-double-booked', 'unknown-stall']);
  });
});

describe('stall fees', () => {
  const current = [
    assignment('a', 's1', 'v1'),
    assignment('b', 's2', 'v2'),
    assignment('c', 's3', 'v1'),
  ];

  it('[A5] a flat fee per stall: a maker with two stalls owes two', () => {
    expect(feeDue(current, { kind: 'flat', cents: 2500 })).toEqual({
      makers: [
        { makerId: 'v1', stallIds: ['s1', 's3'], dueCents: 5000 },
        { makerId: 'v2', stallIds: ['s2'], dueCents: 2500 },
      ],
      totalCents: 7500,
    });
  });

  it('[A5] a fee per stall, with a default; negative or fractional fees are refused', () => {
    expect(
      feeDue(current, { kind: 'per-stall', byStallId: { s1: 4000, s2: 0 }, defaultCents: 1500 }),
    ).toEqual({
      makers: [
        { makerId: 'v1', stallIds: ['s1', 's3'], dueCents: 5500 },
        { makerId: 'v2', stallIds: ['s2'], dueCents: 0 },
      ],
      totalCents: 5500,
    });
    expect(() => feeDue(current, { kind: 'flat', cents: -1 })).toThrow(RangeError);
    expect(() => feeDue(current, { kind: 'flat', cents: 12.5 })).toThrow(RangeError);
  });

  it.each([
    [0, 0, 'nothing-due'],
    [0, 100, 'overpaid'],
    [2500, 0, 'unpaid'],
    [2500, 1000, 'part-paid'],
    [2500, 2500, 'paid'],
    [2500, 3000, 'overpaid'],
  ] as const)('[A5] fee %i paid %i is %s', (due, paid, status) => {
    expect(feeStatus(due, paid)).toBe(status);
  });

  it('[A5] the overview lists makers who paid without a stall; totals never net debts away', () => {
    const overview = feeOverview(feeDue(current, { kind: 'flat', cents: 2500 }), {
      v1: 6000,
      v2: 0,
      v9: 1500,
    });
    expect(overview).toEqual({
      makers: [
        {
          makerId: 'v1',
          stallIds: ['s1', 's3'],
          dueCents: 5000,
          paidCents: 6000,
          outstandingCents: 0,
          overpaidCents: 1000,
          status: 'overpaid',
        },
        {
          makerId: 'v2',
          stallIds: ['s2'],
          dueCents: 2500,
          paidCents: 0,
          outstandingCents: 2500,
          overpaidCents: 0,
          status: 'unpaid',
        },
        {
          makerId: 'v9',
          stallIds: [],
          dueCents: 0,
          paidCents: 1500,
          outstandingCents: 0,
          overpaidCents: 1500,
          status: 'overpaid',
        },
      ],
      dueCents: 7500,
      paidCents: 7500,
      outstandingCents: 2500,
      overpaidCents: 2500,
    });
  });

  it('[A5] due - paid = outstanding - overpaid, in total and per maker', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('v1', 'v2', 'v3'), fc.constantFrom('s1', 's2', 's3')), {
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.dictionary(fc.constantFrom('v1', 'v2', 'v3', 'v4'), fc.integer({ min: 0, max: 20_000 })),
        (pairs, fee, paid) => {
          const list = pairs.map(([v, s], i) => assignment(`a${i}`, s, v));
          const overview = feeOverview(feeDue(list, { kind: 'flat', cents: fee }), paid);
          for (const line of overview.makers) {
            expect(line.dueCents - line.paidCents).toBe(line.outstandingCents - line.overpaidCents);
          }
          expect(overview.dueCents - overview.paidCents).toBe(
            overview.outstandingCents - overview.overpaidCents,
          );
          expect(overview.dueCents).toBe(fee * list.length);
        },
      ),
      SEED,
    );
  });
});

describe('makerStallView', () => {
  const event: MarketEvent = {
    id: 'ev',
    organisationId: 'org',
    seriesId: null,
    name: 'Pop-up Bazaar',
    date: '2026-03-14',
    place: 'Damplein 1',
    opensAt: '11:00',
    closesAt: '17:00',
    status: 'published',
    origin: 'server',
    createdAt: 0,
    updatedAt: 0,
  };
  const map = { width: 12, height: 8 };
  const landmarks: Landmark[] = [
    { id: 'l1', eventId: 'ev', kind: 'toilet', label: '', x: 0, y: 6, width: 1, height: 1 },
    { id: 'l2', eventId: 'ev', kind: 'entrance', label: 'Noord', x: 4, y: 3, width: 2, height: 1 },
  ];
  const mine = {
    ...assignment('x', 's2', 'v1'),
    arrivalTime: '09:30',
    instructions: 'Unload at the side door',
  };

  it('[A6] shows the stall, times, instructions and the map with only that stall highlighted', () => {
    const view = makerStallView('v1', event, map, stalls, landmarks, mine);
    expect(view).toMatchObject({
      kind: 'assigned',
      eventName: 'Pop-up Bazaar',
      date: '2026-03-14',
      opensAt: '11:00',
      stallLabel: 'A2',
      arrivalTime: '09:30',
      instructions: 'Unload at the side door',
      column: 4,
      row: 1,
      nearestLandmark: { kind: 'entrance', label: 'Noord', distance: 1 },
    });
    if (view.kind !== 'assigned') throw new Error(view.kind);
    expect(view.map.stalls.filter((s) => s.highlighted).map((s) => s.label)).toEqual(['A2']);
    expect(view.map.stalls).toHaveLength(3);
    expect(view.map.landmarks.map((l) => l.kind)).toEqual(['toilet', 'entrance']);
    // Plain JSON (stored for offline), carrying no maker ids at all.
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(JSON.stringify(view)).not.toContain('v1');
  });

  it('[A6] no stall, someone else’s assignment, a vanished stall, a draft event', () => {
    expect(makerStallView('v1', event, map, stalls, landmarks, null).kind).toBe('no-stall');
    expect(makerStallView('v2', event, map, stalls, landmarks, mine).kind).toBe('no-stall');
    expect(
      makerStallView('v1', event, map, stalls, landmarks, { ...mine, stallId: 'gone' }).kind,
    ).toBe('no-stall');
    expect(
      makerStallView('v1', { ...event, status: 'draft' }, map, stalls, landmarks, mine).kind,
    ).toBe('not-published');
  });

  it('[A6] grid distance is the cells to walk between two areas, 0 when touching', () => {
    const a = { x: 0, y: 0, width: 2, height: 2 };
    expect(gridDistance(a, { x: 2, y: 0, width: 1, height: 1 })).toBe(0);
    expect(gridDistance(a, { x: 5, y: 4, width: 1, height: 1 })).toBe(5);
    expect(gridDistance({ x: 5, y: 4, width: 1, height: 1 }, a)).toBe(5);
  });
});
