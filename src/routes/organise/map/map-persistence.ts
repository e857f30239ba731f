import type { Landmark } from '$lib/domain/organiser/stall-map';
import type { Id, Stall } from '$lib/domain/types';
import { organiserApi, type ApiResult, type ApiStall } from '$lib/organiser/api';
import { failureText } from '$lib/organiser/failure-text';
import type { CreateResult, MapPersistence, SaveResult } from '$lib/state/map-editor.svelte';

function saved<T>(result: ApiResult<T>): SaveResult {
  return result.ok
    ? { ok: true }
    : {
        ok: false,
        code: result.failure.kind === 'http' ? result.failure.code : 'offline',
        message: failureText(result.failure),
      };
}

/** The device shape of a stall (the fee lives beside it, in the page). */
export function deviceStall(stall: ApiStall): Stall {
  const { feeCents: _fee, ...rest } = stall;
  void _fee;
  return rest;
}

function stallFields(stall: Stall) {
  const { label, x, y, width, height, notes, power, table, foodHygiene } = stall;
  return { label, x, y, width, height, notes, power, table, foodHygiene };
}

function landmarkFields(landmark: Landmark) {
  const { kind, label, x, y, width, height } = landmark;
  return { kind, label, x, y, width, height };
}

/** The map editor's saves, through the organiser API (src/lib/server/organiser/API.md). */
export function apiPersistence(eventId: Id): MapPersistence {
  return {
    saveSize: async (size) => saved(await organiserApi.saveMap(eventId, size)),
    createStall: async (stall): Promise<CreateResult<Stall>> => {
      const result = await organiserApi.createStall(eventId, stallFields({ ...stall, id: '' }));
      return result.ok ? { ok: true, item: deviceStall(result.value.stall) } : fail(result);
    },
    saveStall: async (stall) =>
      saved(await organiserApi.updateStall(eventId, stall.id, stallFields(stall))),
    deleteStall: async (id) => saved(await organiserApi.deleteStall(eventId, id)),
    createLandmark: async (landmark): Promise<CreateResult<Landmark>> => {
      const result = await organiserApi.createLandmark(
        eventId,
        landmarkFields({ ...landmark, id: '' }),
      );
      return result.ok ? { ok: true, item: result.value.landmark } : fail(result);
    },
    saveLandmark: async (landmark) =>
      saved(await organiserApi.updateLandmark(eventId, landmark.id, landmarkFields(landmark))),
    deleteLandmark: async (id) => saved(await organiserApi.deleteLandmark(eventId, id)),
  };
}

function fail(result: { ok: false } & ApiResult<unknown>): {
  ok: false;
  code: string;
  message: string;
} {
  const r = saved(result);
  return r.ok ? { ok: false, code: 'unknown', message: '' } : r;
}
