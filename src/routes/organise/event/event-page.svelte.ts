import { goto } from '$app/navigation';
import { centsToDecimalString, parseMoneyInput } from '$lib/domain/money';
import type { EventStatus, Id } from '$lib/domain/types';
import {
  organiserApi,
  type Announcement,
  type ApiFailure,
  type EventPlan,
  type Maker,
  type OrganiserEvent,
  type Series,
} from '$lib/organiser/api';
import {
  checkEventForm,
  eventFormOf,
  emptyEventForm,
  type EventFormErrors,
  type EventFormValues,
} from '$lib/organiser/event-form';
import { failureText, fieldErrors } from '$lib/organiser/failure-text';
import { statusName } from '$lib/organiser/map-text';
import { without } from '$lib/organiser/editor-support';
import { m } from '$lib/paraglide/messages';

export const MAX_ANNOUNCEMENT_LENGTH = 1000;

/** One event for its organiser: details, status, makers taking part, announcements. */
export class EventPageState {
  readonly eventId: Id;
  loaded = $state(false);
  failure = $state.raw<ApiFailure | null>(null);
  plan = $state.raw<EventPlan | null>(null);
  series = $state.raw<Series[]>([]);
  makers = $state.raw<Maker[]>([]);
  announcements = $state.raw<Announcement[]>([]);
  busy = $state(false);
  actionError = $state('');
  notice = $state('');

  form = $state<EventFormValues>(emptyEventForm(''));
  formErrors = $state<EventFormErrors>({});
  feeDefault = $state('');
  allowMultiple = $state(false);
  feeError = $state('');
  message = $state('');
  messageError = $state('');
  inviteMakerId = $state('');

  event: OrganiserEvent | null = $derived(this.plan?.event ?? null);

  constructor(eventId: Id) {
    this.eventId = eventId;
  }

  async load(): Promise<void> {
    const [plan, series, makers, announcements] = await Promise.all([
      organiserApi.getPlan(this.eventId),
      organiserApi.listSeries(),
      organiserApi.listMakers(),
      organiserApi.listAnnouncements(this.eventId),
    ]);
    this.loaded = true;
    if (!plan.ok) {
      this.failure = plan.failure;
      return;
    }
    this.failure = null;
    this.#setPlan(plan.value);
    this.series = series.ok ? series.value.series : [];
    this.makers = makers.ok ? makers.value.makers : [];
    this.announcements = announcements.ok ? announcements.value.announcements : [];
  }

  #setPlan(plan: EventPlan): void {
    this.plan = plan;
    this.form = eventFormOf(plan.event);
    this.feeDefault =
      plan.event.stallFeeDefaultCents === 0
        ? ''
        : centsToDecimalString(plan.event.stallFeeDefaultCents).replace('.', ',');
    this.allowMultiple = plan.event.allowMultipleStalls;
  }

  #setEvent(event: OrganiserEvent): void {
    if (this.plan) this.plan = { ...this.plan, event };
  }

  makerName(makerId: Id): string {
    const fromPlan = this.plan?.makers.find((maker) => maker.makerId === makerId);
    if (fromPlan) return fromPlan.displayName;
    const maker = this.makers.find((x) => x.makerId === makerId);
    return maker?.profile?.displayName || maker?.name || '—';
  }

  stallLabelsOf(makerId: Id): string[] {
    const plan = this.plan;
    if (!plan) return [];
    return plan.assignments
      .filter((a) => a.makerId === makerId)
      .map((a) => plan.stalls.find((s) => s.id === a.stallId)?.label ?? '')
      .filter(Boolean);
  }

  /** Makers of the organisation not yet invited to this event. */
  get uninvited(): Maker[] {
    return without(this.makers, (maker) => maker.makerId, this.plan?.invitedMakerIds ?? []);
  }

  async saveDetails(): Promise<void> {
    const checked = checkEventForm(this.form);
    if (!checked.ok) {
      this.formErrors = checked.errors;
      return;
    }
    this.formErrors = {};
    this.feeError = '';
    let stallFeeDefaultCents = 0;
    if (this.feeDefault.trim() !== '') {
      const fee = parseMoneyInput(this.feeDefault);
      if (!fee.ok) {
        this.feeError = m.org_map_fee_invalid();
        return;
      }
      stallFeeDefaultCents = fee.cents;
    }
    await this.#run(async () => {
      const result = await organiserApi.updateEvent(this.eventId, {
        ...checked.value,
        stallFeeDefaultCents,
        allowMultipleStalls: this.allowMultiple,
      });
      if (!result.ok) {
        this.formErrors = fieldErrors(result.failure);
        return result.failure;
      }
      this.#setEvent(result.value.event);
      this.notice = m.org_event_saved();
      return null;
    });
  }

  /**
   * Moves the event to `to`. A page left open in another tab may be out of date: when the
   * server says the move is not possible (already done, or the status changed), the page
   * reads the event again and says what happened instead of a bare refusal.
   */
  async setStatus(to: EventStatus): Promise<void> {
    await this.#run(async () => {
      const result = await organiserApi.setStatus(this.eventId, to);
      if (!result.ok) {
        const { failure } = result;
        const stale =
          failure.kind === 'http' &&
          (failure.code === 'same_status' || failure.code === 'transition_not_allowed');
        if (!stale) return failure;
        const fresh = await organiserApi.getPlan(this.eventId);
        if (!fresh.ok) return failure;
        this.plan = fresh.value;
        const status = statusName(fresh.value.event.status);
        this.notice =
          fresh.value.event.status === to
            ? m.org_event_status_already({ status })
            : m.org_event_status_changed({ status });
        return null;
      }
      this.#setEvent(result.value.event);
      this.notice = m.org_event_status_now({ status: statusName(to) });
      return null;
    });
  }

  async deleteDraft(): Promise<void> {
    await this.#run(async () => {
      const result = await organiserApi.deleteEvent(this.eventId);
      if (!result.ok) return result.failure;
      await goto('/organise');
      return null;
    });
  }

  async inviteMaker(): Promise<void> {
    const makerId = this.inviteMakerId;
    if (!makerId) return;
    await this.#run(async () => {
      const result = await organiserApi.inviteToEvent(this.eventId, makerId);
      if (!result.ok) return result.failure;
      if (this.plan) this.plan = { ...this.plan, invitedMakerIds: result.value.invitedMakerIds };
      this.inviteMakerId = '';
      return null;
    });
  }

  async removeMaker(makerId: Id): Promise<void> {
    await this.#run(async () => {
      const result = await organiserApi.removeFromEvent(this.eventId, makerId);
      if (!result.ok) return result.failure;
      const plan = await organiserApi.getPlan(this.eventId);
      if (plan.ok) this.plan = plan.value;
      return null;
    });
  }

  async postAnnouncement(): Promise<void> {
    const body = this.message.trim();
    if (body === '' || [...body].length > MAX_ANNOUNCEMENT_LENGTH) {
      this.messageError = body === '' ? m.org_issue_required() : m.org_issue_too_long();
      return;
    }
    this.messageError = '';
    await this.#run(async () => {
      const result = await organiserApi.postAnnouncement(this.eventId, body);
      if (!result.ok) return result.failure;
      this.announcements = [result.value.announcement, ...this.announcements];
      this.message = '';
      this.notice = m.org_ann_sent();
      return null;
    });
  }

  async #run(action: () => Promise<ApiFailure | null>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.actionError = '';
    this.notice = '';
    try {
      const failure = await action();
      if (failure) this.actionError = failureText(failure);
    } finally {
      this.busy = false;
    }
  }
}
