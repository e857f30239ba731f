// A stand-in for Stripe.js in browser tests (docs/payments.md, "Tests"): every request to
// https://js.stripe.com is answered here, never by the internet. The script defines
// `window.Stripe` with `createEmbeddedCheckoutPage` (and its older name `initEmbeddedCheckout`);
// mounting puts a frame (from js.stripe.com, as Stripe's own) showing the fake Stripe's
// embedded page for the session's client secret, whose "Pay" completes the session at the
// fake, which sends the signed webhook as Stripe would.
import type { Page, Route } from '@playwright/test';

const STAND_IN_SCRIPT = `(() => {
  function mountFrame(target, secret, account) {
    const host = typeof target === 'string' ? document.querySelector(target) : target;
    if (!host) throw new Error('Stripe.js stand-in: nothing to mount into');
    const frame = document.createElement('iframe');
    frame.title = 'Stripe Embedded Checkout';
    frame.src = 'https://js.stripe.com/stand-in/embedded/' + encodeURIComponent(secret) +
      '?account=' + encodeURIComponent(account || '');
    frame.style.width = '100%';
    frame.style.minHeight = '320px';
    frame.style.border = '0';
    host.appendChild(frame);
    return frame;
  }
  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    if (!/^pk_(test|live)_/.test(String(publishableKey))) {
      throw new Error('Stripe.js stand-in: not a publishable key');
    }
    this.account = (options && options.stripeAccount) || null;
  }
  Stripe.version = 'endive';
  Stripe.prototype._registerWrapper = function () {};
  Stripe.prototype.createEmbeddedCheckoutPage = function (options) {
    const account = this.account;
    const secretPromise = options.clientSecret
      ? Promise.resolve(options.clientSecret)
      : options.fetchClientSecret();
    return secretPromise.then((secret) => {
      let frame = null;
      return {
        mount(target) { frame = mountFrame(target, secret, account); },
        unmount() { if (frame) frame.remove(); frame = null; },
        destroy() { if (frame) frame.remove(); frame = null; },
      };
    });
  };
  Stripe.prototype.initEmbeddedCheckout = Stripe.prototype.createEmbeddedCheckoutPage;
  window.Stripe = Stripe;
})();`;

/**
 * Routes https://js.stripe.com/** of this page to the stand-in (the script, and its frame
 * served from the fake Stripe at `fakeStripeBase`). Returns the URLs asked for.
 */
export async function routeStripeJs(page: Page, fakeStripeBase: string): Promise<string[]> {
  const asked: string[] = [];
  await page.route('https://js.stripe.com/**', async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    asked.push(url.href);
    if (/^\/[a-z0-9]+\/stripe\.js$/.test(url.pathname)) {
      await route.fulfill({
        status: 200,
        contentType: 'application/javascript',
        body: STAND_IN_SCRIPT,
      });
      return;
    }
    const m = /^\/stand-in\/embedded\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const answer = await fetch(`${fakeStripeBase}/embedded/${m[1]}${url.search}`, {
        method: request.method(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        ...(request.method() === 'POST' ? { body: request.postData() ?? '' } : {}),
      });
      await route.fulfill({
        status: answer.status,
        contentType: 'text/html; charset=utf-8',
        body: await answer.text(),
      });
      return;
    }
    await route.fulfill({ status: 404, body: 'not in the stand-in' });
  });
  return asked;
}
