// Zod runs in the app without compiling parsers (`jitless`, src/hooks.client.ts: the
// Content-Security-Policy forbids eval), so the benchmarks page runs it the same way. Zod
// reads this global when its schemas are made: main.ts imports this module first.
const zodGlobal = globalThis as { __zod_globalConfig?: Record<string, unknown> };
zodGlobal.__zod_globalConfig = { ...zodGlobal.__zod_globalConfig, jitless: true };
export {};
