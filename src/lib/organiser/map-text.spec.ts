import { describe, expect, it } from 'vitest';
import { outcomeText, stallName } from './map-text';

// The base locale (Dutch) is what the tests run in.
describe('the map in words', () => {
  it('a landmark is named by its kind in the organiser’s language, never by the internal word', () => {
    expect(outcomeText({ kind: 'added', label: '', landmarkKind: 'power' })).toBe(
      'Stroompunt toegevoegd.',
    );
    expect(outcomeText({ kind: 'deleted', label: 'Noord', landmarkKind: 'entrance' })).toBe(
      'Ingang Noord verwijderd.',
    );
    expect(outcomeText({ kind: 'added', label: '', landmarkKind: 'first-aid' })).toBe(
      'EHBO toegevoegd.',
    );
  });

  it('undo and redo are said; a refused resize or undo says so, naming the stall', () => {
    expect(outcomeText({ kind: 'deleted', label: 'A3', via: 'undo' })).toBe(
      'Ongedaan gemaakt: A3 verwijderd.',
    );
    expect(outcomeText({ kind: 'added', label: 'A3', via: 'redo' })).toBe(
      'Opnieuw gedaan: A3 toegevoegd.',
    );
    const inTheWay = [{ code: 'overlaps', label: 'A4' }];
    expect(outcomeText({ kind: 'refused', label: 'A3', problems: inTheWay, resize: true })).toMatch(
      /^A3 niet groter of kleiner gemaakt: .*A4/,
    );
    expect(outcomeText({ kind: 'refused', label: 'A3', problems: inTheWay, via: 'undo' })).toMatch(
      /^A3 kan niet terug: .*A4/,
    );
    expect(outcomeText({ kind: 'server-refused', label: '', message: 'Geen verbinding.' })).toMatch(
      /plattegrond/i,
    );
  });

  it('a stall’s accessible name starts with its visible text (label, then maker)', () => {
    const stall = {
      label: 'A2',
      width: 2,
      height: 1,
      power: true,
      table: false,
      foodHygiene: false,
    };
    expect(stallName(stall, 'Atelier Amira')).toBe('A2 Atelier Amira, kraam 2 bij 1, stroom');
    expect(stallName(stall)).toBe('A2, kraam 2 bij 1, stroom');
  });
});
