// For tests only (the contract spec and tests/api/contract-input.api.ts): one valid body for
// every endpoint of the contract, and a helper to put a bad value at one field's path. An
// endpoint added to ORGANISER_BODY_ENDPOINTS without a sample here fails to type-check.
import { ORGANISER_BODY_ENDPOINTS } from './contract';

export type EndpointName = keyof typeof ORGANISER_BODY_ENDPOINTS;

/** The ids a sample body may name (real ones in the API tests, made-up ones in specs). */
export interface SampleIds {
  makerId: string;
  stallId: string;
  date: string;
}

export interface EndpointSample {
  /** Who may call it: an organiser, or the maker themself. */
  actor: 'organiser' | 'maker';
  body: (ids: SampleIds) => Record<string, unknown>;
}

const stall = {
  label: 'Z9',
  x: 0,
  y: 0,
  width: 1,
  height: 1,
  notes: 'Near the door',
  power: false,
  table: false,
  foodHygiene: false,
  feeCents: null,
};
const landmark = { kind: 'stage', label: 'Stage', x: 0, y: 0, width: 1, height: 1 };

export const ENDPOINT_SAMPLES: Record<EndpointName, EndpointSample> = {
  createEvent: {
    actor: 'organiser',
    body: ({ date }) => ({
      name: 'Winter bazaar',
      date,
      opensAt: '10:00',
      closesAt: '16:00',
      place: 'Damplein 1',
      description: 'Makers from the neighbourhood.',
      seriesId: null,
      allowMultipleStalls: false,
      stallFeeDefaultCents: 0,
      mapWidth: 12,
      mapHeight: 8,
    }),
  },
  updateEvent: {
    actor: 'organiser',
    body: ({ date }) => ({
      name: 'Winter bazaar',
      date,
      opensAt: '10:00',
      closesAt: '16:00',
      place: 'Damplein 1',
      description: 'Makers.',
      stallFeeDefaultCents: 0,
    }),
  },
  setStatus: { actor: 'organiser', body: () => ({ to: 'published' }) },
  createSeries: { actor: 'organiser', body: () => ({ name: 'Winter series' }) },
  renameSeries: { actor: 'organiser', body: () => ({ name: 'Winter series' }) },
  nextEdition: {
    actor: 'organiser',
    body: ({ date }) => ({ date, name: 'Winter bazaar 2', copyAssignments: false }),
  },
  saveMap: { actor: 'organiser', body: () => ({ width: 12, height: 8 }) },
  createStall: { actor: 'organiser', body: () => ({ ...stall }) },
  updateStall: { actor: 'organiser', body: () => ({ ...stall }) },
  createLandmark: { actor: 'organiser', body: () => ({ ...landmark }) },
  updateLandmark: { actor: 'organiser', body: () => ({ ...landmark }) },
  inviteToEvent: { actor: 'organiser', body: ({ makerId }) => ({ makerId }) },
  assign: {
    actor: 'organiser',
    body: ({ stallId, makerId }) => ({
      stallId,
      makerId,
      arrivalTime: '09:30',
      instructions: 'Enter by the side door.',
    }),
  },
  updateAssignment: {
    actor: 'organiser',
    body: ({ stallId }) => ({ stallId, arrivalTime: '09:30', instructions: 'Side door.' }),
  },
  setFeePaid: { actor: 'organiser', body: () => ({ paidCents: 0 }) },
  postAnnouncement: { actor: 'organiser', body: () => ({ body: 'Doors open at nine.' }) },
  saveProfile: {
    actor: 'maker',
    body: () => ({
      displayName: 'Amal Bakery',
      craft: 'Baker',
      story: 'Syrian bread.',
      languages: ['ar', 'nl'],
      photoIds: [],
      contact: {
        phone: { value: '+31612345678', public: false },
        email: { value: 'hello@example.net', public: true },
        website: { value: 'example.org', public: false },
        instagram: { value: 'amal.bakes', public: true },
      },
      listed: true,
      needs: { power: true, table: true, foodHygiene: true, notes: 'A quiet corner.' },
    }),
  },
  setSharing: { actor: 'maker', body: () => ({ sharesFigures: true }) },
  decideApplication: {
    actor: 'organiser',
    body: () => ({ decision: 'wait', message: 'You are on the waiting list.' }),
  },
};

/** A deep copy of `body` with `value` at `path` (made where missing). */
export function withValue(
  body: Record<string, unknown>,
  path: readonly (string | number)[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(body);
  let node: Record<string | number, unknown> = copy;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next !== 'object' || next === null) {
      node[key] = typeof path[index + 1] === 'number' ? [] : {};
    }
    node = node[key] as Record<string | number, unknown>;
  });
  return copy;
}

/** A word in every bad text, to prove none of it was stored (short: times are 10 at most). */
export const UNSAFE_MARKER = 'Kx9q';
/** Bad text for a field: NUL, and a lone high and a lone low surrogate. */
export const UNSAFE_TEXTS = [
  `${UNSAFE_MARKER}\u0000`,
  `${UNSAFE_MARKER} \uD83D`,
  `\uDE00 ${UNSAFE_MARKER}`,
] as const;
