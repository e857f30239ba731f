// Types of bench/route-js.js, for the tests that check the till's first load
// (tests/e2e/till-weight.e2e.ts).
export interface JavaScriptSize {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export interface RouteChunks {
  manifest: Record<string, { file: string; imports?: string[]; dynamicImports?: string[] }>;
  critical: Set<string>;
  deferred: Set<string>;
  locales: Record<string, Set<string>>;
  localesRest: Record<string, Set<string>>;
}

export function routeChunks(kitDir: string, routeComponent: string): RouteChunks;

export function routeJavaScript(
  kitDir: string,
  routeComponent: string,
): {
  critical: JavaScriptSize;
  deferred: JavaScriptSize;
  localeMessages: Record<string, JavaScriptSize>;
  localeMessagesLater: Record<string, JavaScriptSize>;
};
