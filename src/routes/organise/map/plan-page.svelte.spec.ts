import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventPlan } from '$lib/organiser/api';
import { PlanPageState } from './plan-page.svelte';

const EVENT = '0190a000-0000-7000-8000-0000000000e1';
const X = '0190a000-0000-7000-8000-0000000000f1';
const Y = '0190a000-0000-7000-8000-0000000000f2';

function stall(id: string, label: string, x: number) {
  return {
    id,
    eventId: EVENT,
    label,
    x,
    y: 0,
    width: 2,
    height: 1,
    notes: '',
    power: false,
    table: false,
    foodHygiene: false,
    feeCents: null,
  };
}

const a1 = stall('0190a000-0000-7000-8000-0000000000b1', 'A1', 0);
const a2 = stall('0190a000-0000-7000-8000-0000000000b2', 'A2', 2);
const onA1 = {
  id: 'as-1',
  eventId: EVENT,
  stallId: a1.id,
  makerId: X,
  arrivalTime: null,
  instructions: '',
};
const onA2 = {
  id: 'as-2',
  eventId: EVENT,
  stallId: a2.id,
  makerId: Y,
  arrivalTime: null,
  instructions: '',
};

function plan(): EventPlan {
  return {
    event: {
      id: EVENT,
      organisationId: 'org',
      seriesId: null,
      name: 'Bazaar',
      date: '2026-06-13',
      place: 'Plein',
      opensAt: '11:00',
      closesAt: '17:00',
      description: '',
      status: 'published',
      closedAt: null,
      createdAt: 1,
      updatedAt: 1,
      allowMultipleStalls: false,
      stallFeeDefaultCents: 0,
      editionNumber: null,
      allowedTransitions: ['draft', 'open'],
      publishMissing: [],
    },
    map: { width: 12, height: 8 },
    stalls: [a1, a2],
    landmarks: [],
    assignments: [onA1, onA2],
    invitedMakerIds: [X, Y],
    mapConflicts: [],
    assignmentConflicts: [],
    fees: { makers: [], dueCents: 0, paidCents: 0, outstandingCents: 0, overpaidCents: 0 },
    makers: [
      { makerId: X, displayName: 'Amal' },
      { makerId: Y, displayName: 'Dawit' },
    ],
  };
}

/** A server twin on fetch: answers the plan and records every writing call. */
function stubServer() {
  const writes: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    if (method !== 'GET')
      writes.push(`${method} ${url.replace(`/api/organiser/events/${EVENT}`, '')}`);
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    if (url.endsWith('/makers')) return json({ makers: [] });
    if (method === 'GET') return json(plan());
    if (method === 'DELETE') return new Response(null, { status: 204 });
    if (url.endsWith('/stalls')) {
      const fields = JSON.parse(String(init?.body)) as object;
      return json({ stall: { ...stall('new-stall', '', 0), ...fields, id: 'new-stall' } }, 201);
    }
    const body = JSON.parse(String(init?.body)) as { stallId: string; makerId: string };
    return json({ assignment: { ...body, id: 'as-new', eventId: EVENT }, changed: true }, 201);
  });
  return writes;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('assigning makers on the map page', () => {
  it('[A1] a maker who already has a stall is refused before anything is sent: the stall keeps its maker', async () => {
    const writes = stubServer();
    const view = new PlanPageState(EVENT);
    await view.load();
    const ok = await view.saveAssignment(a1.id, { makerId: Y, arrivalTime: '', instructions: '' });
    expect(ok).toBe(false);
    expect(view.actionError).not.toBe('');
    expect(writes).toEqual([]);
    expect(view.makerOf(a1.id)).toBe('Amal');
  });

  it('[A1] changing the maker removes the old assignment, then adds the new one', async () => {
    const writes = stubServer();
    const view = new PlanPageState(EVENT);
    await view.load();
    view.assignments = view.assignments.filter((a) => a.id !== onA2.id);
    const ok = await view.saveAssignment(a1.id, {
      makerId: Y,
      arrivalTime: '09:30',
      instructions: '',
    });
    expect(ok).toBe(true);
    expect(writes).toEqual(['DELETE /assignments/as-1', 'POST /assignments']);
    expect(view.makerOf(a1.id)).toBe('Dawit');
  });

  it('a refused assignment names the stall it concerns', async () => {
    stubServer();
    const view = new PlanPageState(EVENT);
    await view.load();
    await view.saveAssignment(a1.id, { makerId: Y, arrivalTime: '', instructions: '' });
    expect(view.actionError).toMatch(/^Kraam A1: /);
  });

  it('deleting a stall with a maker leaves the maker without a stall; undo brings the stall back and the maker onto it', async () => {
    const writes = stubServer();
    const view = new PlanPageState(EVENT);
    await view.load();
    view.deleteStall(a1.id);
    expect(view.makerOf(a1.id)).toBeNull();
    expect(view.assignments.map((a) => a.makerId)).toEqual([Y]);
    expect(view.conflicts).toEqual([]);
    await view.editor?.settled();
    expect(await view.editor?.undo()).toBe(true);
    await view.editor?.settled();
    expect(writes).toEqual([`DELETE /stalls/${a1.id}`, 'POST /stalls', 'POST /assignments']);
    expect(view.editor?.stall('new-stall')).toMatchObject({ label: 'A1', x: 0 });
    expect(view.makerOf('new-stall')).toBe('Amal');
  });
});
