import { goto } from '$app/navigation';
import {
  organiserApi,
  type ApiFailure,
  type OrganiserEvent,
  type Series,
} from '$lib/organiser/api';
import {
  checkEventForm,
  emptyEventForm,
  type EventFormErrors,
  type EventFormValues,
} from '$lib/organiser/event-form';
import { failureText, fieldErrors, issueText } from '$lib/organiser/failure-text';
import { validateSeriesName } from '$lib/domain/organiser/event-lifecycle';
import { todayIsoDate } from '$lib/services/events';
import { m } from '$lib/paraglide/messages';

/** The organiser's start screen: events, series, and making new ones. */
export class OrganiseHomeState {
  loaded = $state(false);
  failure = $state.raw<ApiFailure | null>(null);
  events = $state.raw<OrganiserEvent[]>([]);
  series = $state.raw<Series[]>([]);
  busy = $state(false);
  actionError = $state('');

  form = $state<EventFormValues>(emptyEventForm(todayIsoDate()));
  formErrors = $state<EventFormErrors>({});
  seriesName = $state('');
  seriesError = $state('');
  /** seriesId -> date typed for its next edition */
  editionDates = $state<Record<string, string>>({});
  /** seriesId -> name typed for its next edition (asked for: never the last name again) */
  editionNames = $state<Record<string, string>>({});

  async load(): Promise<void> {
    const [events, series] = await Promise.all([
      organiserApi.listEvents(),
      organiserApi.listSeries(),
    ]);
    this.loaded = true;
    if (!events.ok) {
      this.failure = events.failure;
      return;
    }
    this.failure = series.ok ? null : series.failure;
    this.events = [...events.value.events].sort((a, b) =>
      a.date === b.date ? b.createdAt - a.createdAt : a.date < b.date ? 1 : -1,
    );
    this.series = series.ok ? series.value.series : [];
  }

  seriesNameOf(seriesId: string | null): string {
    return this.series.find((s) => s.id === seriesId)?.name ?? '';
  }

  async createEvent(): Promise<void> {
    const checked = checkEventForm(this.form, { today: todayIsoDate() });
    if (!checked.ok) {
      this.formErrors = checked.errors;
      return;
    }
    this.formErrors = {};
    await this.#run(async () => {
      const result = await organiserApi.createEvent(checked.value);
      if (!result.ok) {
        this.formErrors = fieldErrors(result.failure);
        return result.failure;
      }
      await goto(`/organise/event?id=${result.value.event.id}`, { state: { created: true } });
      return null;
    });
  }

  async createSeries(): Promise<void> {
    const checked = validateSeriesName(this.seriesName);
    if (!checked.ok) {
      this.seriesError = issueText(checked.error);
      return;
    }
    this.seriesError = '';
    await this.#run(async () => {
      const result = await organiserApi.createSeries(checked.value);
      if (!result.ok) return result.failure;
      this.series = [...this.series, result.value.series];
      this.seriesName = '';
      return null;
    });
  }

  async newEdition(seriesId: string): Promise<void> {
    const date = this.editionDates[seriesId] ?? '';
    const name = (this.editionNames[seriesId] ?? '').trim();
    if (!name || !date) {
      this.actionError = m.org_series_next_missing();
      return;
    }
    await this.#run(async () => {
      const result = await organiserApi.newEdition(seriesId, { date, name });
      if (!result.ok) return result.failure;
      await goto(`/organise/event?id=${result.value.event.id}`);
      return null;
    });
  }

  async #run(action: () => Promise<ApiFailure | null>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.actionError = '';
    try {
      const failure = await action();
      if (failure) this.actionError = failureText(failure);
    } finally {
      this.busy = false;
    }
  }
}
