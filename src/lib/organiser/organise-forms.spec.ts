import { describe, expect, it } from 'vitest';
import { checkEventForm, emptyEventForm } from './event-form';
import { failureText, fieldErrors, issueText } from './failure-text';
import { idsInConflicts, without } from './editor-support';
import { validateMap } from '$lib/domain/organiser/stall-map';
import { m } from '$lib/paraglide/messages';

describe('organiser event form', () => {
  it('[EV1] is checked by the domain before it is sent: each problem beside its field', () => {
    const result = checkEventForm(
      { ...emptyEventForm('2026-06-01'), name: ' ', opensAt: '17:00', closesAt: '11:00' },
      { today: '2026-06-02' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['closesAt', 'date', 'name']);
    expect(result.errors.closesAt).toBe(issueText('closes-before-opens'));
    expect(result.errors.date).toBe(issueText('date-in-past'));
  });

  it('[EV1] a valid form becomes the API body: trimmed, empty times as null, no series as null', () => {
    const result = checkEventForm({
      ...emptyEventForm('2026-06-13'),
      name: ' Pop-up Bazaar ',
      place: 'Damplein 1',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Pop-up Bazaar',
        date: '2026-06-13',
        opensAt: null,
        closesAt: null,
        place: 'Damplein 1',
        description: '',
        seriesId: null,
      },
    });
  });
});

describe('organiser API failures in words', () => {
  it('a 422 with domain issue codes is shown per field, by its last path segment', () => {
    const failure = {
      kind: 'http' as const,
      status: 422,
      code: 'stall_invalid',
      message: 'invalid',
      issues: [
        { path: 'label', message: 'taken', code: 'label-taken' },
        { path: 'contact.phone', message: 'bad', code: 'invalid-phone' },
      ],
    };
    expect(fieldErrors(failure)).toEqual({
      label: issueText('label-taken'),
      phone: issueText('invalid-phone'),
    });
    expect(failureText(failure)).toBe(issueText('label-taken'));
  });

  it('text the server cannot store (NUL, broken characters) is named beside its field', () => {
    const failure = {
      kind: 'http' as const,
      status: 422,
      code: 'invalid_value',
      message: 'invalid',
      issues: [
        { path: 'contact.phone.value', message: 'x', code: 'unsafe-text' },
        { path: 'languages.0', message: 'x', code: 'unsafe-text' },
        { path: 'notes', message: 'x', code: 'too-long' },
      ],
    };
    expect(fieldErrors(failure)).toEqual({
      phone: m.org_issue_unsafe_text(),
      languages: m.org_issue_unsafe_text(),
      notes: m.org_issue_too_long(),
    });
    expect(failureText(failure)).toBe(m.org_issue_unsafe_text());
    expect(issueText('out-of-range')).toBe(m.org_issue_out_of_range());
    expect(issueText('not-whole')).toBe(m.org_issue_not_whole());
  });

  it('known state codes have their own words; offline and unknown ones never show a status number', () => {
    const http = (status: number, code: string) => ({
      kind: 'http' as const,
      status,
      code,
      message: 'x',
      issues: [],
    });
    expect(failureText(http(409, 'maker_has_stall'))).not.toBe(
      failureText(http(409, 'stall_taken')),
    );
    expect(failureText({ kind: 'offline' })).not.toMatch(/\d{3}/);
    expect(failureText(http(500, 'internal'))).not.toMatch(/500/);
    expect(fieldErrors({ kind: 'offline' })).toEqual({});
  });
});

describe('editor support', () => {
  it('[M6] outlines every stall and landmark a conflict names', () => {
    const stall = (id: string, x: number) => ({
      id,
      eventId: 'e',
      label: id.toUpperCase(),
      x,
      y: 0,
      width: 2,
      height: 1,
      notes: '',
      power: false,
      table: false,
      foodHygiene: false,
    });
    const conflicts = validateMap(
      { width: 4, height: 2 },
      [stall('a', 0), stall('b', 1), stall('c', 3)],
      [],
    );
    expect([...idsInConflicts(conflicts)].sort()).toEqual(['a', 'b', 'c']);
    expect(without([{ id: 'x' }, { id: 'y' }], (i) => i.id, ['y'])).toEqual([{ id: 'x' }]);
  });
});
