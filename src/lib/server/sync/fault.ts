// Test-only fault injection for the push endpoint (docs/sync-faults.md fault 1: "kill the server after
// commit but before the response"). It does nothing unless the server process was started with
// the environment variable KRAAM_FAULT; nothing in the app, `npm start` or the documented
// configuration sets it, and no request can: only whoever starts the process. Production never
// reaches the kill below.
//
//   KRAAM_FAULT=exit-after-commit      the first push whose transaction committed kills the
//                                      server (SIGKILL, no cleanup) before its answer is sent
//   KRAAM_FAULT=exit-after-commit:<n>  the n-th such push does
//
// Used by tests/api/kill-after-commit.api.ts; any other value is refused loudly.

let committedPushes = 0;

/** The push number (1-based) after whose commit the process dies, or null (the normal case). */
export function killAfterCommitAt(env: NodeJS.ProcessEnv = process.env): number | null {
  const spec = env.KRAAM_FAULT;
  if (!spec) return null;
  const match = /^exit-after-commit(?::([1-9]\d{0,5}))?$/.exec(spec);
  if (!match) {
    throw new Error(`KRAAM_FAULT="${spec}" is not a known fault (exit-after-commit[:n]).`);
  }
  return Number(match[1] ?? 1);
}

/** Called by the push endpoint after the batch's COMMIT, before the answer is written. */
export function afterPushCommitted(env: NodeJS.ProcessEnv = process.env): void {
  const at = killAfterCommitAt(env);
  if (at === null) return;
  committedPushes += 1;
  if (committedPushes >= at) {
    // A real, immediate death: no response, no shutdown hooks, the database not closed.
    process.kill(process.pid, 'SIGKILL');
  }
}
