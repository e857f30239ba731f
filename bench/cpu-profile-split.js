// Sums a V8 CPU profile of the built server (`node --cpu-prof`, e.g. from
// BENCH_SERVER_CPU_PROF=dir with bench/server-devices.js) by module, within time windows:
//
//   node bench/cpu-profile-split.js <file.cpuprofile> <windows.json> [top]
//
// windows.json: [{ name, from, to }] in µs on the monotonic clock the profile's timestamps use
// (process.hrtime in any process on the same machine). Each sample inside a window is counted
// once, for the innermost frame of its stack that says whose work it is: a package in
// node_modules (zod, drizzle-orm, better-auth, pg, ...), SvelteKit's runtime, a named part of
// the app (the function names of the bundled server, grouped below), else Node's own module
// at the leaf (HTTP, streams, undici's Request/Response/Headers, ...). "(idle)" is time the
// process had nothing to do; "(garbage collector)" and "(program)" are V8's own.
import { readFileSync } from 'node:fs';

/** App functions (the bundled server keeps their names) and the part they belong to. */
const APP_PARTS = [
  [
    /^(handleSecurityHeaders|withSecurityHeaders|addMissing|setSecurityHeaders)$/,
    'hook: security headers',
  ],
  [
    /^(handleCrossOrigin|crossOriginRefusal|trustedOrigins|publicOrigin)$/,
    'hook: cross-origin check',
  ],
  [/^(handleParaglide)$/, 'hook: paraglide'],
  [
    /^(handleAuth|clientAddress|loadRequestAuth|readsMemberships|processSessionCache|get|begin|set)$/,
    'hook: session lookup',
  ],
  [
    /^(readBodyText|readJson|readJsonText|json|jsonText|jsonError|errorResponse|answer|respond|pushEndpoint|pullEndpoint)$/,
    'endpoint: body read, JSON, answer',
  ],
  [
    /^(currentPushRequest|legacyNames|mentionsRenamedKey|renameKeys|legacy.*|current.*)$/,
    'push: legacy-name walk',
  ],
  [/^(canonicalJson|hashCanonical|canonical.*)$/, 'push: canonical JSON and hash'],
  [
    /^(validate|.*Problem|storable.*|hasUnstorableText|nestedDeeperThan)$/,
    'push: validation (app checks)',
  ],
];

function partOf(frame) {
  const url = frame.url ?? '';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) {
    if (nm[1] === '@sveltejs/kit') return 'SvelteKit runtime';
    return `pkg: ${nm[1]}`;
  }
  if (/\/build[^/]*\/server\//.test(url) || /\/build[^/]*\/(index|handler)\.js$/.test(url)) {
    for (const [re, part] of APP_PARTS) if (re.test(frame.functionName)) return part;
    const file = url.slice(url.lastIndexOf('/') + 1);
    // The SvelteKit runtime is bundled into the server's index.js / respond chunks.
    if (/^(index|respond|internal|handler|shims|env)\d*\.js$/.test(file))
      return `SvelteKit runtime (${file})`;
    return `app: ${file}`;
  }
  return null;
}

function nodePart(frame) {
  const url = frame.url ?? '';
  if (!url)
    return frame.functionName.startsWith('(')
      ? frame.functionName
      : `(native) ${frame.functionName || 'anonymous'}`;
  if (url.includes('undici')) return 'node: undici (Request/Response/Headers)';
  if (/node:(_http|http|net|internal\/http|internal\/net|internal\/stream_base)/.test(url))
    return 'node: http/net';
  if (/node:internal\/(streams|webstreams)/.test(url)) return 'node: streams';
  if (/node:internal\/(process\/task_queues|async_hooks|timers)/.test(url))
    return 'node: promises/timers';
  if (url.startsWith('node:')) return `node: ${url.slice(5).replace(/^internal\//, '')}`;
  return url.replace(/^.*\//, '');
}

const [profilePath, windowsPath, topArg] = process.argv.slice(2);
if (!profilePath || !windowsPath) {
  console.error('usage: node bench/cpu-profile-split.js <file.cpuprofile> <windows.json> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
const windows = JSON.parse(readFileSync(windowsPath, 'utf8'));
const top = Number(topArg ?? 25);
/** SPLIT_DETAIL=<part>: also the leaf functions of that part's samples. */
const detail = process.env.SPLIT_DETAIL;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const partCache = new Map();
function classify(id) {
  if (partCache.has(id)) return partCache.get(id);
  let part = null;
  for (let at = id; at !== undefined && part === null; at = parent.get(at)) {
    part = partOf(byId.get(at).callFrame);
  }
  part ??= nodePart(byId.get(id).callFrame);
  partCache.set(id, part);
  return part;
}

// Sample times: startTime plus the running sum of timeDeltas; each sample stands for the
// interval to the next one.
const times = [];
let t = profile.startTime;
for (const d of profile.timeDeltas) times.push((t += d));

const groups = new Map();
for (const w of windows) {
  const key = w.name.replace(/^\S+ /, '');
  const g = groups.get(key) ?? { ms: 0, wall: 0, parts: new Map() };
  g.wall += (w.to - w.from) / 1000;
  groups.set(key, g);
}
for (let i = 0; i < profile.samples.length; i++) {
  const at = times[i];
  const w = windows.find((x) => at >= x.from && at < x.to);
  if (!w) continue;
  const g = groups.get(w.name.replace(/^\S+ /, ''));
  const ms = ((times[i + 1] ?? at) - at) / 1000;
  const part = classify(profile.samples[i]);
  g.parts.set(part, (g.parts.get(part) ?? 0) + ms);
  if (detail && part === detail) {
    const { functionName, url, lineNumber } = byId.get(profile.samples[i]).callFrame;
    const leaf = `${functionName || '(anonymous)'} ${url.replace(/^.*\//, '')}:${lineNumber + 1}`;
    g.leaves ??= new Map();
    g.leaves.set(leaf, (g.leaves.get(leaf) ?? 0) + ms);
  }
}
for (const [name, g] of groups) {
  const busy = [...g.parts].filter(([p]) => p !== '(idle)').reduce((s, [, ms]) => s + ms, 0);
  console.log(`\n${name}: wall ${g.wall.toFixed(0)} ms, busy ${busy.toFixed(0)} ms (not idle)`);
  const rows = [...g.parts].filter(([p]) => p !== '(idle)').sort((a, b) => b[1] - a[1]);
  for (const [part, ms] of rows.slice(0, top)) {
    console.log(
      `  ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${part}`,
    );
  }
  if (g.leaves) {
    console.log(`  ${detail}, by leaf function:`);
    for (const [leaf, ms] of [...g.leaves].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${leaf}`);
    }
  }
}
