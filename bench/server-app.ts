/**
 * The app's own server and sync modules, as the server benchmarks drive them. bench/server.js
 * bundles this file with Vite (like the real server is bundled) into tmp/, so the figures
 * measure the code that ships, not a copy of it.
 */
export { sql } from 'drizzle-orm';
export { queryRows } from '$lib/server/db';
export { openDatabase } from '$lib/server/db/open';
export { syncChanges } from '$lib/server/db/schema';
export { pullEndpoint, pushEndpoint } from '$lib/server/sync/endpoints';
export { createInProcessTransport } from '$lib/server/sync/in-process-transport';
export { handlePull, pullAnswer, pullAnswerText } from '$lib/server/sync/pull';
export { createUser } from '$lib/server/sync/testing';
export { MemoryDeviceStore } from '$lib/db/memory-store';
export {
  DEFAULT_PULL_LIMIT,
  MAX_PUSH_MUTATIONS,
  PROTOCOL_VERSION,
  PULL_FEATURES,
  PullResponseSchema,
} from '$lib/sync/protocol';
export { checkPullAnswer } from '$lib/sync/pull-check';
export { TestDevice } from '$lib/sync/testing/device';
export { ENGINE_PULL_LIMIT as PULL_PAGE } from '$lib/sync/engine';
export { RawDevice } from '$lib/sync/testing/factories';
export { createAuth } from '$lib/server/auth/config';
export { loadRequestAuth, readsMemberships } from '$lib/server/auth/session';
export { SessionCache } from '$lib/server/auth/session-cache';
