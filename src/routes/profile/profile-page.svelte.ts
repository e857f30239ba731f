import {
  emptyContact,
  validateProfile,
  type MakerProfile as DomainProfile,
} from '$lib/domain/organiser/maker-profile';
import type { Id } from '$lib/domain/types';
import {
  organiserApi,
  type ApiFailure,
  type MakerProfile,
  type MakerProfileInput,
} from '$lib/organiser/api';
import { failureText, fieldErrors, issueText } from '$lib/organiser/failure-text';
import { m } from '$lib/paraglide/messages';

function emptyProfile(): MakerProfileInput {
  return {
    displayName: '',
    craft: '',
    story: '',
    languages: [],
    photoIds: [],
    contact: emptyContact(),
    listed: false,
    needs: { power: false, table: false, foodHygiene: false, notes: '' },
  };
}

/**
 * The maker's own profile and their "share my figures" choice. Both live on the server (the
 * directory and the organiser's totals read them), so this screen needs the network; the
 * form is checked by the domain's validateProfile first, then by the server.
 */
export class ProfilePageState {
  loaded = $state(false);
  failure = $state.raw<ApiFailure | null>(null);
  form = $state<MakerProfileInput>(emptyProfile());
  saved = $state.raw<MakerProfile | null>(null);
  errors = $state<Record<string, string>>({});
  shares = $state(false);
  busy = $state(false);
  notice = $state('');
  actionError = $state('');

  async load(): Promise<void> {
    const [profile, sharing] = await Promise.all([
      organiserApi.getProfile(),
      organiserApi.getSharing(),
    ]);
    this.loaded = true;
    if (!profile.ok) {
      this.failure = profile.failure;
      return;
    }
    this.failure = null;
    this.#take(profile.value.profile);
    this.shares = sharing.ok ? sharing.value.sharesFigures : false;
  }

  #take(profile: MakerProfile): void {
    this.saved = profile;
    const { makerId: _makerId, slug: _slug, publicUrl: _publicUrl, ...input } = profile;
    void [_makerId, _slug, _publicUrl];
    this.form = structuredClone(input);
  }

  async save(): Promise<boolean> {
    const checked = validateProfile({ ...this.form, makerId: this.saved?.makerId ?? '' });
    if (!checked.ok) {
      this.errors = Object.fromEntries(
        Object.entries(checked.errors).map(([field, code]) => [field, issueText(code)]),
      );
      return false;
    }
    this.errors = {};
    return this.#run(async () => {
      const { makerId: _makerId, ...input } = checked.value satisfies DomainProfile;
      void _makerId;
      const result = await organiserApi.saveProfile(input);
      if (!result.ok) {
        this.errors = fieldErrors(result.failure);
        return result.failure;
      }
      this.#take(result.value.profile);
      this.notice = m.org_profile_saved();
      return null;
    });
  }

  async setSharing(shares: boolean): Promise<void> {
    await this.#run(async () => {
      const result = await organiserApi.setSharing(shares);
      if (!result.ok) return result.failure;
      this.shares = result.value.sharesFigures;
      this.notice = this.shares ? m.org_sharing_on() : m.org_sharing_off();
      return null;
    });
  }

  async addPhoto(file: File): Promise<void> {
    await this.#run(async () => {
      const result = await organiserApi.uploadPhoto(file);
      if (!result.ok) return result.failure;
      this.form.photoIds = [...this.form.photoIds, result.value.photoId];
      return null;
    });
  }

  async removePhoto(photoId: Id): Promise<void> {
    await this.#run(async () => {
      const result = await organiserApi.deletePhoto(photoId);
      if (!result.ok) return result.failure;
      this.form.photoIds = this.form.photoIds.filter((id) => id !== photoId);
      return null;
    });
  }

  async #run(action: () => Promise<ApiFailure | null>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.notice = '';
    this.actionError = '';
    try {
      const failure = await action();
      if (failure) this.actionError = failureText(failure);
      return failure === null;
    } finally {
      this.busy = false;
    }
  }
}
