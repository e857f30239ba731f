import { describe, expect, it } from 'vitest';
import { crossOriginRefusal } from './origin';

const ORIGINS = ['https://kraam.example.org'];
const check = (method: string, headers: Record<string, string>) =>
  crossOriginRefusal(method, new Headers(headers), ORIGINS);

describe('crossOriginRefusal', () => {
  it('lets reads through whatever their origin', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) {
      expect(check(method, { origin: 'https://evil.example' })).toBeNull();
    }
  });

  it('lets writes from the server itself through', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(check(method, { origin: 'https://kraam.example.org' })).toBeNull();
    }
    expect(check('POST', { 'sec-fetch-site': 'same-origin' })).toBeNull();
    expect(check('POST', { 'sec-fetch-site': 'none' })).toBeNull();
  });

  it('refuses writes that name another origin, including "null" and look-alikes', () => {
    for (const origin of [
      'https://evil.example',
      'null',
      'https://kraam.example.org.evil.example',
      'http://kraam.example.org',
      'https://kraam.example.org:444',
      '',
    ]) {
      expect(check('POST', { origin }), origin).toMatch(/Cross-origin/);
    }
  });

  it('refuses writes without Origin that the browser marks cross-site or same-site', () => {
    expect(check('POST', { 'sec-fetch-site': 'cross-site' })).toMatch(/cross-site/);
    expect(check('DELETE', { 'sec-fetch-site': 'same-site' })).toMatch(/same-site/);
  });

  it('an Origin of this server wins over a contradicting Sec-Fetch-Site', () => {
    // Origin is the browser's own statement of the page that sent the request.
    expect(
      check('POST', { origin: 'https://kraam.example.org', 'sec-fetch-site': 'same-origin' }),
    ).toBeNull();
  });

  it('lets non-browser clients (neither header) through', () => {
    expect(check('POST', {})).toBeNull();
  });
});
