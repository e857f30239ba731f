// The server's Node flags (scripts/node-flags.js) are given where Node starts it: V8 reads
// them only then, so `npm start` and `npm run serve` must carry them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../../scripts/node-flags.js';

const scripts = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

describe('the server’s Node flags', () => {
  it('room for V8’s young generation: 64 MB a half', () => {
    expect(SERVER_NODE_FLAGS).toContain('--max-semi-space-size=64');
  });

  it.each(['start', 'serve'])('npm run %s starts the server with them', (name) => {
    expect(scripts[name]).toBe(`node ${SERVER_NODE_FLAGS.join(' ')} scripts/start.js`);
  });
});
