import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJson } from './body';
import { ApiError } from './errors';
import { api } from './handler';

const schema = z.strictObject({ name: z.string().min(1), count: z.number().int() });

function jsonRequest(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request('http://localhost/x', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** A body streamed in chunks with no content-length, as a client may send it. */
function streamed(chunks: string[]): Request {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Request('http://localhost/x', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('readJson', () => {
  it('returns the validated body', async () => {
    await expect(readJson(jsonRequest('{"name":"a","count":2}'), schema)).resolves.toEqual({
      name: 'a',
      count: 2,
    });
  });

  it('names every invalid field in a 400', async () => {
    const error = await failure(readJson(jsonRequest('{"name":"","count":1.5,"x":1}'), schema));
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['', 'count', 'name']);
    expect(error.message).toMatch(/and 2 more/);
  });

  it('refuses broken JSON (400) and other media types (415)', async () => {
    expect((await failure(readJson(jsonRequest('{"name":'), schema))).code).toBe('invalid_json');
    const text = jsonRequest('{}', { 'content-type': 'text/plain' });
    expect((await failure(readJson(text, schema))).status).toBe(415);
  });

  it('refuses a declared body over the limit without reading it (413)', async () => {
    const request = jsonRequest('{"name":"a","count":1}', { 'content-length': '2000' });
    const error = await failure(readJson(request, schema, { maxBytes: 1000 }));
    expect(error.status).toBe(413);
    expect(request.bodyUsed).toBe(false);
  });

  it('stops reading a streamed body as soon as it passes the limit (413)', async () => {
    const chunks = ['{"name":"', 'x'.repeat(600), 'x'.repeat(600), '","count":1}'];
    const error = await failure(readJson(streamed(chunks), schema, { maxBytes: 1000 }));
    expect(error.status).toBe(413);
    await expect(readJson(streamed(chunks), schema, { maxBytes: 2000 })).resolves.toMatchObject({
      count: 1,
    });
  });
});

describe('api()', () => {
  it('turns an ApiError into { error: { code, message, issues } } with its status', async () => {
    const handler = api(() => {
      throw new ApiError(409, 'already_member', 'Already a member.', [{ path: '', message: 'x' }]);
    });
    const response = await handler({} as never);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: 'already_member',
        message: 'Already a member.',
        issues: [{ path: '', message: 'x' }],
      },
    });
  });

  it('lets other errors through to SvelteKit (a logged 500, never a leaked message)', async () => {
    const handler = api(() => {
      throw new Error('database exploded');
    });
    await expect(handler({} as never)).rejects.toThrow('database exploded');
  });
});
