import {
  assignmentConflicts,
  assignMaker,
  type AssignmentConflict,
} from '$lib/domain/organiser/assignments';
import type { StallNeeds } from '$lib/domain/organiser/maker-profile';
import type { Id, Stall } from '$lib/domain/types';
import {
  organiserApi,
  type ApiFailure,
  type Assignment,
  type FeeOverview,
  type Maker,
  type OrganiserEvent,
} from '$lib/organiser/api';
import { failureText } from '$lib/organiser/failure-text';
import { m } from '$lib/paraglide/messages';
import { MapEditorState } from '$lib/state/map-editor.svelte';
import { apiPersistence, deviceStall } from './map-persistence';

/** What the stall dialog asks for besides the stall's own details. */
export interface AssignmentInput {
  makerId: Id | null;
  arrivalTime: string;
  instructions: string;
}

/**
 * The map page: the editor (stalls and landmarks) plus who stands where and the fees. An
 * assignment is checked by the domain's `assignMaker` before it is sent (one stall per maker
 * unless the event allows more, one maker per stall), so a refusal is explained at once.
 */
export class PlanPageState {
  readonly eventId: Id;
  loaded = $state(false);
  failure = $state.raw<ApiFailure | null>(null);
  event = $state.raw<OrganiserEvent | null>(null);
  editor = $state.raw<MapEditorState | null>(null);
  assignments = $state.raw<Assignment[]>([]);
  feeByStall = $state.raw<Record<Id, number | null>>({});
  fees = $state.raw<FeeOverview | null>(null);
  makers = $state.raw<Maker[]>([]);
  names = $state.raw<Record<Id, string>>({});
  /** The last assignment or fee action's problem, in words. */
  actionError = $state('');
  busy = $state(false);

  conflicts: AssignmentConflict[] = $derived(
    this.editor
      ? assignmentConflicts(this.editor.stalls, this.assignments, this.#needs(), {
          allowMultiple: this.event?.allowMultipleStalls ?? false,
        })
      : [],
  );

  constructor(eventId: Id) {
    this.eventId = eventId;
  }

  async load(): Promise<void> {
    const [plan, makers] = await Promise.all([
      organiserApi.getPlan(this.eventId),
      organiserApi.listMakers(),
    ]);
    this.loaded = true;
    if (!plan.ok) {
      this.failure = plan.failure;
      return;
    }
    this.failure = null;
    const { value } = plan;
    this.event = value.event;
    this.assignments = value.assignments;
    this.fees = value.fees;
    this.feeByStall = Object.fromEntries(value.stalls.map((s) => [s.id, s.feeCents]));
    this.makers = makers.ok ? makers.value.makers : [];
    const names: Record<Id, string> = {};
    for (const maker of this.makers)
      names[maker.makerId] = maker.profile?.displayName || maker.name;
    for (const maker of value.makers) names[maker.makerId] = maker.displayName;
    this.names = names;
    const editor = new MapEditorState(
      {
        eventId: this.eventId,
        width: value.map.width,
        height: value.map.height,
        stalls: value.stalls.map(deviceStall),
        landmarks: value.landmarks,
      },
      apiPersistence(this.eventId),
    );
    editor.onStallRestored = (oldId, stall) => this.#restoreMaker(oldId, stall);
    this.editor = editor;
  }

  /**
   * Deletes a stall; whoever stood there is without a stall now (the tray lists them, and
   * the server tells their device). Undo brings the stall back and puts them back on it.
   */
  deleteStall(stallId: Id): void {
    const assignment = this.assignmentOf(stallId);
    if (assignment) this.#removed = { ...this.#removed, [stallId]: assignment };
    this.editor?.deleteStall(stallId);
    this.assignments = this.assignments.filter((a) => a.stallId !== stallId);
  }

  /** Who stood on deleted stalls, by the stall's id, to put them back on undo. */
  #removed: Partial<Record<Id, Assignment>> = {};

  async #restoreMaker(oldId: Id, stall: Stall): Promise<void> {
    const { [oldId]: before, ...rest } = this.#removed;
    if (!before) return;
    this.#removed = rest;
    // The maker got another stall meanwhile: they stay there (one stall per maker).
    if (
      this.assignments.some((a) => a.makerId === before.makerId) &&
      !this.event?.allowMultipleStalls
    ) {
      return;
    }
    await this.#run(stall.id, async () => {
      const created = await organiserApi.assign(this.eventId, {
        stallId: stall.id,
        makerId: before.makerId,
        arrivalTime: before.arrivalTime,
        instructions: before.instructions,
      });
      if (!created.ok) return created.failure;
      this.#put(created.value.assignment);
      return null;
    });
  }

  makerName = (makerId: Id): string => this.names[makerId] ?? '—';

  assignmentOf(stallId: Id): Assignment | undefined {
    return this.assignments.find((a) => a.stallId === stallId);
  }

  makerOf = (stallId: Id): string | null => {
    const assignment = this.assignmentOf(stallId);
    return assignment ? this.makerName(assignment.makerId) : null;
  };

  #needs(): Partial<Record<Id, StallNeeds>> {
    const needs: Partial<Record<Id, StallNeeds>> = {};
    for (const maker of this.makers) if (maker.profile) needs[maker.makerId] = maker.profile.needs;
    return needs;
  }

  /**
   * Puts `input.makerId` on the stall (or nobody), with arrival time and instructions.
   * Returns true when everything was saved.
   */
  async saveAssignment(stallId: Id, input: AssignmentInput): Promise<boolean> {
    const current = this.assignmentOf(stallId);
    const arrivalTime = input.arrivalTime.trim() || null;
    const instructions = input.instructions.trim();
    return this.#run(stallId, async () => {
      if (current && current.makerId === input.makerId) {
        if (current.arrivalTime === arrivalTime && current.instructions === instructions)
          return null;
        const updated = await organiserApi.updateAssignment(this.eventId, current.id, {
          arrivalTime,
          instructions,
        });
        if (!updated.ok) return updated.failure;
        this.#put(updated.value.assignment);
        return null;
      }
      // Another maker (or nobody): check the new one by the domain's rules first, as if the
      // stall were free, so a refusal never leaves the stall emptied half-way.
      const rest = this.assignments.filter((a) => a.id !== current?.id);
      if (input.makerId) {
        const check = assignMaker({
          stalls: this.editor?.stalls ?? [],
          assignments: rest,
          makerId: input.makerId,
          stallId,
          allowMultiple: this.event?.allowMultipleStalls ?? false,
          newId: () => 'check-only',
        });
        if (!check.ok) {
          return failure(
            check.error.code === 'maker-has-stall'
              ? 'maker_has_stall'
              : check.error.code === 'stall-taken'
                ? 'stall_taken'
                : 'not_found',
          );
        }
      }
      if (current) {
        const removed = await organiserApi.unassign(this.eventId, current.id);
        if (!removed.ok) return removed.failure;
        this.assignments = rest;
      }
      if (!input.makerId) return null;
      const created = await organiserApi.assign(this.eventId, {
        stallId,
        makerId: input.makerId,
        arrivalTime,
        instructions,
      });
      if (!created.ok) return created.failure;
      this.#put(created.value.assignment);
      return null;
    });
  }

  /** The stall's own fee in cents, or null for the event's default fee. */
  async saveFee(stallId: Id, feeCents: number | null): Promise<boolean> {
    if ((this.feeByStall[stallId] ?? null) === feeCents) return true;
    return this.#run(stallId, async () => {
      const result = await organiserApi.updateStall(this.eventId, stallId, { feeCents });
      if (!result.ok) return result.failure;
      this.feeByStall = { ...this.feeByStall, [stallId]: result.value.stall.feeCents };
      return null;
    });
  }

  #put(assignment: Assignment): void {
    this.assignments = [...this.assignments.filter((a) => a.id !== assignment.id), assignment];
  }

  /**
   * Runs an action about one stall; a refusal names that stall. Afterwards the fees are read
   * again (they follow assignments and fees).
   */
  async #run(stallId: Id, action: () => Promise<ApiFailure | null>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.actionError = '';
    try {
      const problem = await action();
      if (problem) {
        const label = this.editor?.stall(stallId)?.label ?? '';
        this.actionError = label
          ? m.org_map_stall_refused({ label, reason: failureText(problem) })
          : failureText(problem);
      }
      const plan = await organiserApi.getPlan(this.eventId);
      if (plan.ok) this.fees = plan.value.fees;
      return problem === null;
    } finally {
      this.busy = false;
    }
  }
}

function failure(code: string): ApiFailure {
  return { kind: 'http', status: 409, code, message: code, issues: [] };
}
