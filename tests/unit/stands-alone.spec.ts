import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The design documents Kraam grew from live outside the repository. Everything the code
// relies on from them is in docs/ and src/lib/sync/SPEC.md; nothing may cite the outside.

const root = join(import.meta.dirname, '../..');
const self = relative(root, import.meta.filename);

/** Not read: generated or vendored text, binaries. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.svelte-kit',
  'build',
  'data',
  'test-results',
  'playwright-report',
  'tmp',
  'paraglide',
]);
const BINARY = /\.(png|jpe?g|gif|webp|ico|woff2?|ttf|pdf|zip|gz|tgz|wasm|lock)$/i;

/** The files git knows (tracked, or new and not ignored); a plain walk where git is missing. */
function repositoryFiles(): string[] {
  let files: string[];
  try {
    files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\0')
      .filter((f) => f !== '');
  } catch {
    files = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(join(root, dir))) {
        if (SKIPPED_DIRS.has(name) || name.startsWith('build-') || name.startsWith('.svelte-kit-'))
          continue;
        const path = dir === '' ? name : `${dir}/${name}`;
        if (statSync(join(root, path)).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk('');
  }
  return files.filter(
    (f) =>
      f !== self &&
      f !== 'package-lock.json' &&
      !f.startsWith('src/lib/paraglide/') &&
      !BINARY.test(f) &&
      existsSync(join(root, f)) &&
      statSync(join(root, f)).isFile(),
  );
}

interface Hit {
  file: string;
  line: number;
  text: string;
  value: string;
}

function find(files: readonly string[], pattern: RegExp): Hit[] {
  const hits: Hit[] = [];
  for (const file of files) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const match of text.matchAll(pattern)) {
        hits.push({ file, line: i + 1, text: text.trim(), value: match[1] ?? match[0] });
      }
    });
  }
  return hits;
}

const show = (hits: readonly Hit[]) => hits.map((h) => `${h.file}:${h.line}: ${h.text}`);

/** The numbers a document defines: table rows `| 7 |` or list items `7. `. */
function numbersIn(doc: string, kind: 'table' | 'list'): Set<string> {
  const text = readFileSync(join(root, doc), 'utf8');
  const pattern = kind === 'table' ? /^\| (\d+) +\|/gm : /^(\d+)\. /gm;
  return new Set([...text.matchAll(pattern)].map((m) => m[1] ?? ''));
}

/**
 * The outside design documents by name (sync, stack notes, product, style), built from parts
 * so that this file does not itself cite them.
 */
const DESIGN_DOC_NAMES = new RegExp(
  `(?<![\\w/.-])(${['SYNC', 'PRODUCT', 'STYLE'].map((n) => `${n}\\.md`).join('|')}|STACK-${'NOTES'}(?:\\.md)?)(?![\\w-])`,
  'g',
);

describe('the repository stands alone', () => {
  const files = repositoryFiles();
  const basenames = new Set(files.map((f) => basename(f)));

  it('reads the whole repository (sanity check of the file list)', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('src/lib/sync/SPEC.md');
    expect(files.length).toBeGreaterThan(100);
  });

  it('the repository stands alone: no file cites design documents outside it', () => {
    const outside = find(files, /(\.\.\/shared\b|shared\/design\/|\.\.\/seed\b)/g);
    const designDocs = find(files, DESIGN_DOC_NAMES).filter((hit) => !basenames.has(hit.value));
    expect(show([...outside, ...designDocs])).toEqual([]);
  });

  it('every docs/*.md file that is cited exists', () => {
    const cited = find(files, /(?<![\w/.-])(docs\/[\w./-]+\.md)\b/g).filter(
      (hit) => !existsSync(join(root, hit.value)),
    );
    expect(show(cited)).toEqual([]);
  });

  it('every cited fault number is described in docs/sync-faults.md', () => {
    const faults = numbersIn('docs/sync-faults.md', 'table');
    expect(faults.size).toBeGreaterThanOrEqual(27);
    const cited = find(files, /(?:docs\/sync-faults\.md fault |\[fault |\(fault )(\d+)/g).filter(
      (hit) => !faults.has(hit.value),
    );
    expect(show(cited)).toEqual([]);
  });

  it('every cited pitfall number is described in docs/stack-notes.md', () => {
    const pitfalls = numbersIn('docs/stack-notes.md', 'list');
    expect(pitfalls.size).toBeGreaterThanOrEqual(12);
    const cited = find(files, /(?<![\w/.-])pitfall (\d+)/g).filter(
      (hit) => hit.file !== 'docs/stack-notes.md' && !pitfalls.has(hit.value),
    );
    // A bare "pitfall N" must say where it is described.
    const bare = find(files, /(?<!docs\/stack-notes\.md )(?<![\w/.-])pitfall \d+/g).filter(
      (hit) => hit.file !== 'docs/stack-notes.md',
    );
    expect(show([...cited, ...bare])).toEqual([]);
  });
});
