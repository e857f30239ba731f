// The floor plan of an event: its size, stalls and landmarks, always checked by the domain
// (stall-map.ts, RULES.md M1-M9) before anything is written. Each request locks the event,
// writes in one transaction and feeds makers' devices in it (feed.ts).
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import {
  autoLabel,
  firstFreeSpot,
  placeLandmark,
  placeStall,
  resizeStall,
  validateLandmark,
  validateMap,
  validateMapSize,
  validateStall,
  type Landmark,
  type MapConflict,
  type StallMap,
} from '$lib/domain/organiser/stall-map';
import type { Stall } from '$lib/domain/types';
import type { Db, Tx } from '$lib/server/db';
import { landmarks, organisedEvents, stallFees, stalls } from '$lib/server/db/schema';
import { notFound } from '$lib/server/http';
import { landmarkInvalid, mapInvalid, stallInvalid } from './errors';
import {
  deviceStall,
  loadAssignments,
  loadLandmarks,
  loadStalls,
  lockEvent,
  type LoadedEvent,
  type StallWithFee,
} from './event-rows';
import { assignmentDeleted, eventMapChange, feed, stallChange, stallDeleted } from './feed';
import type { StallBody, UpdateLandmarkBody } from '$lib/organiser/contract';

/** The columns an edit may change (never the id or the event). */
function stallColumns(stall: Stall) {
  const { label, x, y, width, height, notes, power, table, foodHygiene } = stall;
  return { label, x, y, width, height, notes, power, table, foodHygiene };
}

function landmarkColumns(landmark: Landmark) {
  const { kind, label, x, y, width, height } = landmark;
  return { kind, label, x, y, width, height };
}

const OFF_MAP: ReadonlySet<MapConflict['code']> = new Set(['stall-off-map', 'landmark-off-map']);

function conflictKey(conflict: MapConflict): string {
  return JSON.stringify(conflict);
}

export async function setMapSize(
  db: Db,
  organisationId: string,
  eventId: string,
  size: { width: number; height: number },
): Promise<StallMap> {
  const sizeProblems = validateMapSize(size);
  if (sizeProblems.length > 0) {
    throw mapInvalid(sizeProblems.map((problem) => ({ code: 'map-size', problem })));
  }
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const stallRows = await loadStalls(tx, eventId);
    const landmarkRows = await loadLandmarks(tx, eventId);
    // Shrinking must not cut off what lies on the map (what was already off stays allowed).
    const before = new Set(validateMap(event.map, stallRows, landmarkRows).map(conflictKey));
    const cutOff = validateMap(size, stallRows, landmarkRows).filter(
      (c) => OFF_MAP.has(c.code) && !before.has(conflictKey(c)),
    );
    if (cutOff.length > 0) throw mapInvalid(cutOff);
    await tx
      .update(organisedEvents)
      .set({ mapWidth: size.width, mapHeight: size.height })
      .where(eq(organisedEvents.eventId, eventId));
    const map = { eventId, width: size.width, height: size.height };
    await feed(tx, event, [eventMapChange(organisationId, map, landmarkRows)]);
    return map;
  });
}

async function writeFee(tx: Tx, stallId: string, feeCents: number | null | undefined) {
  if (feeCents === undefined) return;
  if (feeCents === null) {
    await tx.delete(stallFees).where(eq(stallFees.stallId, stallId));
    return;
  }
  await tx
    .insert(stallFees)
    .values({ stallId, feeCents })
    .onConflictDoUpdate({ target: stallFees.stallId, set: { feeCents } });
}

export async function createStall(
  db: Db,
  organisationId: string,
  eventId: string,
  body: StallBody,
): Promise<StallWithFee> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const others = await loadStalls(tx, eventId);
    const landmarkRows = await loadLandmarks(tx, eventId);
    const width = body.width ?? 1;
    const height = body.height ?? 1;
    let spot = body.x !== undefined && body.y !== undefined ? { x: body.x, y: body.y } : null;
    if (!spot) {
      spot = firstFreeSpot(event.map, others, landmarkRows, width, height);
      if (!spot) throw stallInvalid([{ code: 'map-full' }]);
    }
    const stall: Stall = {
      id: uuidv7(),
      eventId,
      label: (body.label ?? autoLabel(others)).trim(),
      ...spot,
      width,
      height,
      notes: (body.notes ?? '').trim(),
      power: body.power ?? false,
      table: body.table ?? false,
      foodHygiene: body.foodHygiene ?? false,
    };
    const problems = validateStall(event.map, stall, others, landmarkRows);
    if (problems.length > 0) throw stallInvalid(problems);
    await tx.insert(stalls).values(stall);
    await writeFee(tx, stall.id, body.feeCents);
    await feed(tx, event, [stallChange(stall, organisationId)]);
    return { ...stall, feeCents: body.feeCents ?? null };
  });
}

function findStall(all: readonly StallWithFee[], stallId: string): StallWithFee {
  const stall = all.find((s) => s.id === stallId);
  if (!stall) throw notFound(`There is no stall ${stallId} at this event.`);
  return stall;
}

const LABEL_CODES = new Set(['empty-label', 'label-too-long', 'label-taken']);

/**
 * Moves, resizes, relabels or re-equips a stall. A move or resize is refused when it makes
 * anything worse (domain M4), so a stall that is in conflict can still be walked out of it.
 */
export async function updateStall(
  db: Db,
  organisationId: string,
  eventId: string,
  stallId: string,
  body: StallBody,
): Promise<StallWithFee> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const all = await loadStalls(tx, eventId);
    const current = findStall(all, stallId);
    const landmarkRows = await loadLandmarks(tx, eventId);
    let placed: Stall[] = all.map(deviceStall);
    if (body.x !== undefined || body.y !== undefined) {
      const moved = placeStall(
        event.map,
        placed,
        stallId,
        body.x ?? current.x,
        body.y ?? current.y,
        landmarkRows,
      );
      if (!moved.ok) throw stallInvalid(moved.problems);
      placed = moved.stalls;
    }
    if (body.width !== undefined || body.height !== undefined) {
      const resized = resizeStall(
        event.map,
        placed,
        stallId,
        body.width ?? current.width,
        body.height ?? current.height,
        landmarkRows,
      );
      if (!resized.ok) throw stallInvalid(resized.problems);
      placed = resized.stalls;
    }
    const geometry = placed.find((s) => s.id === stallId) ?? deviceStall(current);
    const next: Stall = {
      ...geometry,
      label: body.label?.trim() ?? current.label,
      notes: body.notes?.trim() ?? current.notes,
      power: body.power ?? current.power,
      table: body.table ?? current.table,
      foodHygiene: body.foodHygiene ?? current.foodHygiene,
    };
    const textProblems = validateStall(event.map, next, all, landmarkRows).filter(
      (p) =>
        (body.label !== undefined && LABEL_CODES.has(p.code)) ||
        (body.notes !== undefined && p.code === 'notes-too-long'),
    );
    if (textProblems.length > 0) throw stallInvalid(textProblems);
    await tx
      .update(stalls)
      .set(stallColumns(next))
      .where(and(eq(stalls.id, stallId), eq(stalls.eventId, eventId)));
    await writeFee(tx, stallId, body.feeCents);
    await feed(tx, event, [stallChange(next, organisationId)]);
    return { ...next, feeCents: body.feeCents === undefined ? current.feeCents : body.feeCents };
  });
}

/** Removes a stall and whoever was assigned to it (their devices are told). */
export async function deleteStall(
  db: Db,
  organisationId: string,
  eventId: string,
  stallId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    findStall(await loadStalls(tx, eventId), stallId);
    const onStall = (await loadAssignments(tx, eventId)).filter((a) => a.stallId === stallId);
    await tx.delete(stalls).where(eq(stalls.id, stallId));
    await feed(
      tx,
      event,
      [],
      [stallDeleted(organisationId, stallId), ...onStall.map(assignmentDeleted)],
    );
  });
}

// ---------------------------------------------------------------------------------------
// Landmarks

async function feedMap(tx: Tx, event: LoadedEvent) {
  const all = await loadLandmarks(tx, event.id);
  await feed(tx, event, [eventMapChange(event.organisationId, event.map, all)]);
}

export async function createLandmark(
  db: Db,
  organisationId: string,
  eventId: string,
  body: Omit<Landmark, 'id' | 'eventId' | 'label' | 'width' | 'height'> &
    Partial<Pick<Landmark, 'label' | 'width' | 'height'>>,
): Promise<Landmark> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const landmark: Landmark = {
      id: uuidv7(),
      eventId,
      kind: body.kind,
      label: (body.label ?? '').trim(),
      x: body.x,
      y: body.y,
      width: body.width ?? 1,
      height: body.height ?? 1,
    };
    const problems = validateLandmark(
      event.map,
      landmark,
      await loadStalls(tx, eventId),
      await loadLandmarks(tx, eventId),
    );
    if (problems.length > 0) throw landmarkInvalid(problems);
    await tx.insert(landmarks).values(landmark);
    await feedMap(tx, event);
    return landmark;
  });
}

const LANDMARK_TEXT_CODES = new Set(['unknown-kind', 'label-too-long']);

export async function updateLandmark(
  db: Db,
  organisationId: string,
  eventId: string,
  landmarkId: string,
  body: UpdateLandmarkBody,
): Promise<Landmark> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const all = await loadLandmarks(tx, eventId);
    const current = all.find((l) => l.id === landmarkId);
    if (!current) throw notFound(`There is no landmark ${landmarkId} at this event.`);
    const stallRows = await loadStalls(tx, eventId);
    let placed = current;
    if (body.x !== undefined || body.y !== undefined) {
      const moved = placeLandmark(
        event.map,
        all,
        landmarkId,
        body.x ?? current.x,
        body.y ?? current.y,
        stallRows,
      );
      if (!moved.ok) throw landmarkInvalid(moved.problems);
      placed = moved.landmark;
    }
    const next: Landmark = {
      ...placed,
      kind: body.kind ?? current.kind,
      label: body.label?.trim() ?? current.label,
      width: body.width ?? current.width,
      height: body.height ?? current.height,
    };
    const resized = body.width !== undefined || body.height !== undefined;
    const problems = validateLandmark(event.map, next, stallRows, all).filter(
      (p) => resized || LANDMARK_TEXT_CODES.has(p.code),
    );
    if (problems.length > 0) throw landmarkInvalid(problems);
    await tx.update(landmarks).set(landmarkColumns(next)).where(eq(landmarks.id, landmarkId));
    await feedMap(tx, event);
    return next;
  });
}

export async function deleteLandmark(
  db: Db,
  organisationId: string,
  eventId: string,
  landmarkId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    const deleted = await tx
      .delete(landmarks)
      .where(and(eq(landmarks.id, landmarkId), eq(landmarks.eventId, eventId)))
      .returning({ id: landmarks.id });
    if (deleted.length === 0) throw notFound(`There is no landmark ${landmarkId} at this event.`);
    await feedMap(tx, event);
  });
}
