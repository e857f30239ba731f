// Runs in the browser before any page module is loaded.
import { z } from 'zod';

// Zod compiles fast parsers with `new Function` when eval is allowed, and probes for that
// when a schema is made. The Content-Security-Policy (svelte.config.js) forbids eval, so the
// probe would only be reported as a violation: parse without it from the start.
z.config({ jitless: true });
