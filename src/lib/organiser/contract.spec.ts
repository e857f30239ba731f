import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  acceptInvitationBody,
  createInvitationBody,
  renameOrganisationBody,
} from '$lib/server/accounts/schemas';
import { signUpBodySchema } from '$lib/server/accounts/signup';
import { ApiError, checkInput } from '$lib/server/http';
import { isSafeTextSchema, leafFields, textFieldPaths } from '$lib/safe-text';
import { MAX_CELL, MAX_FEE_CENTS, ORGANISER_BODY_ENDPOINTS, TEXT_MAX } from './contract';
import { ENDPOINT_SAMPLES, UNSAFE_TEXTS, withValue, type EndpointName } from './contract.testing';

const IDS = {
  makerId: '0190a000-0000-7000-8000-000000000001',
  stallId: '0190a000-0000-7000-8000-000000000002',
  date: '2099-06-01',
};

const endpoints = Object.entries(ORGANISER_BODY_ENDPOINTS) as [
  EndpointName,
  (typeof ORGANISER_BODY_ENDPOINTS)[EndpointName],
][];

const ACCOUNT_BODIES: [string, z.ZodType, Record<string, unknown>][] = [
  ['POST /api/invitations', createInvitationBody, { role: 'helper', makerId: IDS.makerId }],
  ['POST /api/organisations/current', renameOrganisationBody, { name: 'Bazaar' }],
  ['POST /api/invitations/:token/accept', acceptInvitationBody, { organisationName: 'Bazaar' }],
  [
    'POST /api/auth/sign-up/email',
    signUpBodySchema,
    { name: 'Amal', email: 'amal@example.org', password: 'x'.repeat(12), organisationName: 'B' },
  ],
];

const ALL_BODIES: [string, z.ZodType, Record<string, unknown>][] = [
  ...endpoints.map(
    ([name, endpoint]) =>
      [name, endpoint.body, ENDPOINT_SAMPLES[name].body(IDS)] as [
        string,
        z.ZodType,
        Record<string, unknown>,
      ],
  ),
  ...ACCOUNT_BODIES,
];

function refusal(schema: z.ZodType, body: unknown): ApiError {
  try {
    checkInput(schema, body);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

const pathOf = (path: readonly (string | number)[]) => path.join('.');

describe('the organiser API contract', () => {
  it.each(ALL_BODIES)('%s: the sample body is valid', (_name, schema, body) => {
    expect(() => checkInput(schema, body)).not.toThrow();
  });

  it.each(ALL_BODIES)(
    '%s: every string field is safe text or a fixed pattern (an id, a token)',
    (_name, schema) => {
      for (const field of leafFields(schema).filter((f) => f.type === 'string')) {
        const patterned =
          !isSafeTextSchema(field.schema) && !field.schema.safeParse('\u0000').success;
        expect(isSafeTextSchema(field.schema) || patterned, pathOf(field.path)).toBe(true);
      }
    },
  );

  it('has the text fields the issue names, each a safe text', () => {
    const fields = (name: EndpointName) =>
      textFieldPaths(ORGANISER_BODY_ENDPOINTS[name].body).map(pathOf);
    expect(fields('createEvent')).toEqual(
      expect.arrayContaining(['name', 'description', 'place', 'date', 'opensAt', 'closesAt']),
    );
    expect(fields('createStall')).toEqual(expect.arrayContaining(['label', 'notes']));
    expect(fields('postAnnouncement')).toEqual(['body']);
    expect(fields('createSeries')).toEqual(['name']);
    expect(fields('assign')).toEqual(expect.arrayContaining(['instructions', 'arrivalTime']));
    expect(fields('createLandmark')).toEqual(['label']);
    expect(fields('saveProfile')).toEqual(
      expect.arrayContaining([
        'displayName',
        'craft',
        'story',
        'languages.0',
        'contact.phone.value',
        'contact.instagram.value',
        'needs.notes',
      ]),
    );
  });

  const withText = ALL_BODIES.filter(([, schema]) => textFieldPaths(schema).length > 0);
  describe.each(withText)('%s', (_name, schema, sample) => {
    const paths = textFieldPaths(schema);
    it.each(paths.map((path) => [pathOf(path), path] as const))(
      'refuses NUL and lone surrogates in %s: 422 naming the field',
      (name, path) => {
        for (const text of UNSAFE_TEXTS) {
          const error = refusal(schema, withValue(sample, path, text));
          expect([error.status, error.code], JSON.stringify(text)).toEqual([422, 'invalid_value']);
          expect(error.issues).toEqual([
            expect.objectContaining({ path: name, code: 'unsafe-text' }),
          ]);
          expect(error.message).toContain(name);
        }
        // Emoji (surrogate pairs) and other scripts are fine.
        expect(() => checkInput(schema, withValue(sample, path, '🥖خبز'))).not.toThrow();
      },
    );
  });
});

describe('bounds of the contract', () => {
  const numberFields = endpoints.flatMap(([name, endpoint]) =>
    leafFields(endpoint.body)
      .filter((field) => field.type === 'number')
      .map((field) => [`${name} ${pathOf(field.path)}`, name, field.path] as const),
  );

  it.each(numberFields)(
    '%s: beyond its column (2^31, 2^53, -2^31-1, 1e400, a fraction) is 422 naming the field',
    (_label, name, path) => {
      const sample = ENDPOINT_SAMPLES[name].body(IDS);
      const schema = ORGANISER_BODY_ENDPOINTS[name].body;
      for (const value of [2 ** 31, 2 ** 53, -(2 ** 31) - 1, Infinity, 0.5]) {
        const error = refusal(schema, withValue(sample, path, value));
        expect([error.status, error.code], String(value)).toEqual([422, 'invalid_value']);
        expect(error.issues?.map((issue) => issue.path)).toContain(pathOf(path));
      }
    },
  );

  it('every number bound fits its column (integer cells, bigint cents)', () => {
    expect(MAX_CELL).toBeLessThan(2 ** 31);
    expect(MAX_FEE_CENTS).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(numberFields.length).toBeGreaterThan(10);
  });

  it('a text at its length limit passes; one longer is 422 too-long naming the field', () => {
    const sample = ENDPOINT_SAMPLES.createStall.body(IDS);
    const schema = ORGANISER_BODY_ENDPOINTS.createStall.body;
    expect(() =>
      checkInput(schema, { ...sample, notes: 'n'.repeat(TEXT_MAX.stallNotes) }),
    ).not.toThrow();
    const error = refusal(schema, { ...sample, notes: 'n'.repeat(TEXT_MAX.stallNotes + 1) });
    expect([error.status, error.issues]).toEqual([
      422,
      [expect.objectContaining({ path: 'notes', code: 'too-long' })],
    ]);
  });

  it('the wrong shape stays 400 validation_failed (wrong type, unknown field, enum, a cross-field rule)', () => {
    const stall = ENDPOINT_SAMPLES.createStall.body(IDS);
    const schema = ORGANISER_BODY_ENDPOINTS.createStall.body;
    for (const body of [
      { ...stall, x: 'left' },
      { ...stall, colour: 'red' },
      { ...stall, label: 5 },
    ]) {
      const error = refusal(schema, body);
      expect([error.status, error.code]).toEqual([400, 'validation_failed']);
    }
    const landmark = refusal(ORGANISER_BODY_ENDPOINTS.createLandmark.body, {
      ...ENDPOINT_SAMPLES.createLandmark.body(IDS),
      kind: 'fountain\u0000',
    });
    expect([landmark.status, landmark.issues?.[0]?.path]).toEqual([400, 'kind']);
    // A cross-field rule without a code of its own is about the shape too.
    const founding = refusal(createInvitationBody, { role: 'maker', newOrganisation: true });
    expect([founding.status, founding.issues?.[0]?.path]).toEqual([400, 'role']);
  });
});

describe('the device bundle', () => {
  /** Every source file the browser may load: not the server's, not tests. */
  function clientFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        return ['server', 'paraglide', 'api'].includes(entry.name) ? [] : clientFiles(path);
      }
      const test = /\.(spec|testing)\.ts$/.test(entry.name) || entry.name.includes('.server.');
      return /\.(ts|svelte)$/.test(entry.name) && !test ? [path] : [];
    });
  }

  it('never loads the contract schemas: screens import its types only', () => {
    const files = [...clientFiles('src/lib'), ...clientFiles('src/routes')];
    expect(files).toContain(join('src/lib/organiser', 'api.ts'));
    // This contract only: `$lib/organiser/contract`, or `./contract` beside it.
    const runtime = files.filter((file) => {
      const source = readFileSync(file, 'utf8');
      const runtimeImport = (from: string) =>
        new RegExp(`import\\s+(?!type\\b)[^;]*from\\s+'${from}'`).test(source);
      return (
        runtimeImport('\\$lib/organiser/contract') ||
        (dirname(file) === join('src', 'lib', 'organiser') && runtimeImport('\\./contract'))
      );
    });
    expect(runtime).toEqual([]);
  });
});
