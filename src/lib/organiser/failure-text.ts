/**
 * A failed organiser API call in plain words. Codes the screens know are translated; the
 * domain's issue codes (422) are translated per field; anything else falls back to a general
 * sentence, never to a raw status number.
 */
import { m } from '$lib/paraglide/messages';
import type { ApiFailure, ApiIssue } from './api';

/** A domain issue code (validateStall, validateEventDetails, validateProfile ...) in words. */
export function issueText(code: string | undefined): string {
  switch (code) {
    case 'required':
    case 'empty-label':
      return m.org_issue_required();
    case 'too-long':
    case 'label-too-long':
    case 'notes-too-long':
      return m.org_issue_too_long();
    case 'label-taken':
      return m.org_issue_label_taken();
    case 'invalid-date':
      return m.org_issue_invalid_date();
    case 'date-in-past':
      return m.org_issue_date_in_past();
    case 'date-not-after-last':
      return m.org_issue_date_not_after_last();
    case 'invalid-time':
      return m.org_issue_invalid_time();
    case 'closes-before-opens':
      return m.org_issue_closes_before_opens();
    case 'arrives-after-closing':
      return m.org_issue_arrives_after_closing();
    case 'off-map':
    case 'stall-off-map':
    case 'landmark-off-map':
      return m.org_refused_off_map();
    case 'overlaps':
    case 'covers-landmark':
    case 'covered-by-stall':
    case 'overlaps-landmark':
      return m.org_issue_overlaps();
    case 'too-small':
    case 'not-whole-cells':
      return m.org_refused_too_small();
    case 'too-large':
      return m.org_issue_too_large();
    case 'map-full':
      return m.org_outcome_no_room();
    case 'place':
    case 'opensAt':
    case 'closesAt':
      return m.org_issue_publish_missing();
    case 'unknown-language':
    case 'too-many-languages':
      return m.org_issue_languages();
    case 'too-many-photos':
      return m.org_issue_photos();
    case 'invalid-phone':
      return m.org_issue_phone();
    case 'invalid-email':
      return m.org_issue_email();
    case 'invalid-url':
      return m.org_issue_url();
    case 'invalid-instagram':
      return m.org_issue_instagram();
    case 'unsafe-text':
      return m.org_issue_unsafe_text();
    case 'out-of-range':
      return m.org_issue_out_of_range();
    case 'not-whole':
      return m.org_issue_not_whole();
    default:
      return m.org_issue_invalid();
  }
}

/**
 * The form field an issue path is about: its last segment, past an array index or a contact's
 * `value` ("languages.0" -> languages, "contact.phone.value" -> phone).
 */
function fieldOf(path: string): string {
  const segments = path.split('.');
  while (segments.length > 1 && /^(\d+|value)$/.test(segments[segments.length - 1] ?? '')) {
    segments.pop();
  }
  return segments.pop() ?? '';
}

/** Field -> words, for forms that show each problem beside its field. */
export function fieldErrors(failure: ApiFailure): Record<string, string> {
  if (failure.kind !== 'http') return {};
  const errors: Record<string, string> = {};
  for (const issue of failure.issues) {
    const field = fieldOf(issue.path);
    if (field && !errors[field]) errors[field] = issueText(issue.code);
  }
  return errors;
}

function firstIssue(issues: ApiIssue[]): string | null {
  const issue = issues.find((i) => i.code);
  return issue ? issueText(issue.code) : null;
}

/** The whole failure as one sentence for an alert. */
export function failureText(failure: ApiFailure): string {
  if (failure.kind === 'offline') return m.org_error_offline();
  switch (failure.code) {
    case 'unauthorized':
      return m.org_error_signed_out();
    case 'forbidden':
    case 'no_membership':
    case 'no_maker':
      return m.org_error_forbidden();
    case 'not_found':
      return m.org_error_not_found();
    case 'stall_taken':
      return m.org_error_stall_taken();
    case 'maker_has_stall':
      return m.org_error_maker_has_stall();
    case 'same_status':
    case 'transition_not_allowed':
      return m.org_error_transition();
    case 'reopen_window_passed':
      return m.org_error_reopen_window();
    case 'publish_incomplete':
      return m.org_error_publish_incomplete();
    case 'series_empty':
      return m.org_error_series_empty();
    case 'event_not_draft':
      return m.org_error_event_not_draft();
    case 'results_not_ready':
      return m.org_error_results_not_ready();
    case 'payload_too_large':
      return m.org_issue_photos_large();
    case 'unsupported_media_type':
      return m.org_issue_photo_type();
  }
  if (failure.status === 422 || failure.status === 400) {
    return firstIssue(failure.issues) ?? m.org_issue_invalid();
  }
  return m.org_error_unknown();
}
