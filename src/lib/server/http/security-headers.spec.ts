import { describe, expect, it } from 'vitest';
import {
  FLOOR_CSP,
  SECURITY_HEADERS,
  setSecurityHeaders,
  withSecurityHeaders,
} from './security-headers.js';

describe('security headers', () => {
  it('adds every header to an answer that has none', () => {
    const response = withSecurityHeaders(new Response('{}'));
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(response.headers.get(name)).toBe(value);
    }
    expect(FLOOR_CSP).toContain("frame-ancestors 'none'");
  });

  it("keeps a page's own Content-Security-Policy", () => {
    const page = new Response('<html>', {
      headers: { 'content-security-policy': "script-src 'self' 'nonce-abc'" },
    });
    expect(withSecurityHeaders(page).headers.get('content-security-policy')).toBe(
      "script-src 'self' 'nonce-abc'",
    );
  });

  it('copies an answer whose headers cannot be changed', async () => {
    const frozen = Response.redirect('http://localhost/elsewhere', 302);
    const response = withSecurityHeaders(frozen);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost/elsewhere');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('');
  });

  it('sets the headers on a Node response unless it was already sent', () => {
    const set: Record<string, string> = {};
    setSecurityHeaders({ setHeader: (name, value) => (set[name] = value) });
    expect(set).toEqual(SECURITY_HEADERS);
    const sent: Record<string, string> = {};
    setSecurityHeaders({ headersSent: true, setHeader: (name, value) => (sent[name] = value) });
    expect(sent).toEqual({});
  });
});
