// A local stand-in for the parts of Stripe's API Kraam calls (docs/payments.md), so no test
// reaches the internet: plain node:http, form-encoded requests as the `stripe` SDK sends them
// (pointed here with its host/port/protocol options, STRIPE_API_BASE), Stripe's JSON shapes,
// the `Stripe-Account` and `Idempotency-Key` headers honoured, faults on demand (answer 500,
// or never answer), and webhooks signed with `stripe.webhooks.generateTestHeaderString`.
//
// Besides the API (/v1/...), two pages stand in for Stripe-hosted screens in browser tests:
// /onboarding/<acct> (Connect onboarding: "Finish onboarding" makes the account ready and
// returns to Kraam) and /pay/<session> (Checkout: "Pay" completes the session). Both send the
// webhooks Stripe would.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface FakeAccount {
  id: string;
  object: 'account';
  type: string;
  country: string;
  charges_enabled: boolean;
  details_submitted: boolean;
  payouts_enabled: boolean;
  metadata: Record<string, string>;
  created: number;
}

export interface FakeSession {
  id: string;
  object: 'checkout.session';
  /** The connected account (null: the platform's own session, e.g. a stall fee). */
  account: string | null;
  ui_mode: string;
  /** Embedded Checkout's secret for Stripe.js (null for a hosted page). */
  client_secret: string | null;
  return_url: string | null;
  redirect_on_completion: string | null;
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_total: number;
  amount_subtotal: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  success_url: string | null;
  cancel_url: string | null;
  url: string | null;
  expires_at: number;
  created: number;
  payment_intent: string | null;
  /** The payment link the session was made from (a customer paying the stall's link). */
  payment_link: string | null;
  line_items: { name: string; description: string | null; unit_amount: number; quantity: number }[];
}

/** A Payment Link (with its product and price folded in: Kraam makes one per maker). */
export interface FakePaymentLink {
  id: string;
  object: 'payment_link';
  account: string;
  active: boolean;
  url: string;
  price: string;
  metadata: Record<string, string>;
}

export interface FakePrice {
  id: string;
  object: 'price';
  account: string;
  product: string;
  currency: string;
  unit_amount: number | null;
  custom_unit_amount: {
    maximum: number | null;
    minimum: number | null;
    preset: number | null;
  } | null;
}

export interface FakeRefund {
  id: string;
  object: 'refund';
  account: string;
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  failure_reason: string | null;
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
}

export type Fault = 'error500' | 'hang';

/** A request the fake received (for tests that check what Kraam sent). */
export interface ReceivedRequest {
  method: string;
  path: string;
  params: Record<string, unknown>;
  stripeAccount: string | null;
  idempotencyKey: string | null;
}

export interface FakeStripeOptions {
  /** The webhook secret it signs with (STRIPE_WEBHOOK_SECRET of the server under test). */
  webhookSecret: string;
  /** Where webhooks go: a URL, or a function (unit tests call the handler directly). */
  webhookUrl?: string;
  deliver?: (body: string, signature: string) => Promise<number>;
  port?: number;
}

const signer = new Stripe('sk_test_fake_signer');

/**
 * Parses Stripe's form encoding (`a[b][0][c]=x`) into nested objects and arrays, as Stripe
 * reads it. Everything stays a string, as on the wire.
 */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1] ?? '');
      const slot = part === '' && Array.isArray(node) ? String(node.length) : part;
      const container = node as Record<string, unknown>;
      if (last) {
        container[slot] = value;
      } else {
        container[slot] ??= nextIsIndex ? [] : {};
        node = container[slot] as Record<string, unknown>;
      }
    });
  }
  return root;
}

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_test_${randomBytes(9).toString('hex')}`;

function stripeError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  param?: string,
) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') });
  res.end(JSON.stringify({ error: { type, message, ...(param ? { param } : {}) } }));
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') });
  res.end(JSON.stringify(body));
}

export class FakeStripe {
  readonly accounts = new Map<string, FakeAccount>();
  readonly sessions = new Map<string, FakeSession>();
  readonly products = new Map<string, { id: string; account: string; name: string }>();
  readonly prices = new Map<string, FakePrice>();
  readonly paymentLinks = new Map<string, FakePaymentLink>();
  readonly refunds = new Map<string, FakeRefund>();
  /** How the next refunds Kraam asks for come out (Stripe's refund status). */
  refundStatus: FakeRefund['status'] = 'succeeded';
  readonly requests: ReceivedRequest[] = [];
  /** Webhook deliveries made: the event and the HTTP status Kraam answered. */
  readonly deliveries: { event: Stripe.Event; status: number }[] = [];
  private readonly idempotent = new Map<
    string,
    { paramsHash: string; status: number; body: unknown }
  >();
  private readonly faults: { pathPrefix: string; fault: Fault; remaining: number }[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | null = null;
  private eventCounter = 0;
  baseUrl = '';

  constructor(private readonly options: FakeStripeOptions) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        stripeError(res, 500, 'api_error', String(error));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) =>
      server.listen(this.options.port ?? 0, '127.0.0.1', resolve),
    );
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next `times` requests whose path starts with pathPrefix answer 500 or never answer. */
  fail(pathPrefix: string, fault: Fault, times = 1): void {
    this.faults.push({ pathPrefix, fault, remaining: times });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  set webhookUrl(url: string) {
    this.options.webhookUrl = url;
  }

  // ---- webhooks ---------------------------------------------------------------------------

  /** A Stripe event object around `object` (not yet sent). */
  event(type: string, object: object, account: string | null, created = now()): Stripe.Event {
    this.eventCounter += 1;
    return {
      id: `evt_test_${String(this.eventCounter).padStart(6, '0')}_${randomBytes(4).toString('hex')}`,
      object: 'event',
      api_version: '2026-11-18.endive',
      created,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object },
      ...(account ? { account } : {}),
    } as unknown as Stripe.Event;
  }

  /** Signs a body as Stripe does (or with another secret, to forge). */
  sign(body: string, secret = this.options.webhookSecret): string {
    return signer.webhooks.generateTestHeaderString({ payload: body, secret });
  }

  /** Sends the event (signed) to Kraam; resolves with Kraam's HTTP status. */
  async deliver(event: Stripe.Event, secret = this.options.webhookSecret): Promise<number> {
    const body = JSON.stringify(event);
    const signature = this.sign(body, secret);
    let status: number;
    if (this.options.deliver) {
      status = await this.options.deliver(body, signature);
    } else if (this.options.webhookUrl) {
      // Several endpoints (space-separated, e.g. two test servers): each gets every event, as
      // with several webhook endpoints at Stripe; the status is the first failing one's, or 200.
      status = 200;
      for (const url of this.options.webhookUrl.split(' ').filter(Boolean)) {
        const answer = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
          body,
        });
        if (status === 200 && answer.status !== 200) status = answer.status;
      }
    } else {
      throw new Error('FakeStripe: no webhook destination');
    }
    this.deliveries.push({ event, status });
    return status;
  }

  /** The customer paid: the session completes (paid, or unpaid for a delayed method). */
  complete(
    sessionId: string,
    options: { amountTotal?: number; delayed?: boolean } = {},
  ): Stripe.Event {
    const session = this.mustSession(sessionId);
    session.status = 'complete';
    session.payment_status = options.delayed ? 'unpaid' : 'paid';
    session.payment_intent ??= newId('pi');
    if (options.amountTotal !== undefined) session.amount_total = options.amountTotal;
    return this.event('checkout.session.completed', { ...session }, session.account);
  }

  /** A delayed payment (e.g. SEPA) settled or failed after the session completed. */
  asyncOutcome(sessionId: string, succeeded: boolean): Stripe.Event {
    const session = this.mustSession(sessionId);
    session.payment_status = succeeded ? 'paid' : 'unpaid';
    return this.event(
      succeeded
        ? 'checkout.session.async_payment_succeeded'
        : 'checkout.session.async_payment_failed',
      { ...session },
      session.account,
    );
  }

  /** The session ran out of time. */
  expire(sessionId: string): Stripe.Event {
    const session = this.mustSession(sessionId);
    session.status = 'expired';
    session.url = null;
    return this.event('checkout.session.expired', { ...session }, session.account);
  }

  /** Onboarding finished (or details became due again): account.updated. */
  updateAccount(accountId: string, ready: boolean): Stripe.Event {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`FakeStripe: no account ${accountId}`);
    account.charges_enabled = ready;
    account.details_submitted = ready;
    account.payouts_enabled = ready;
    return this.event('account.updated', { ...account }, accountId);
  }

  /**
   * A customer pays `amount` on a payment link (the amount they typed), with the
   * client_reference_id from the link's URL (or none): a completed session and its event.
   */
  payLink(
    linkId: string,
    options: {
      clientReferenceId?: string | null;
      amount: number;
      currency?: string;
      delayed?: boolean;
    },
  ): Stripe.Event {
    const link = this.paymentLinks.get(linkId);
    if (!link) throw new Error(`FakeStripe: no payment link ${linkId}`);
    const id = `cs_test_${randomBytes(12).toString('hex')}`;
    const session: FakeSession = {
      id,
      object: 'checkout.session',
      account: link.account,
      mode: 'payment',
      status: 'complete',
      payment_status: options.delayed ? 'unpaid' : 'paid',
      amount_total: options.amount,
      amount_subtotal: options.amount,
      currency: options.currency ?? 'eur',
      client_reference_id: options.clientReferenceId ?? null,
      metadata: {},
      success_url: null,
      cancel_url: null,
      url: null,
      expires_at: now() + 86_400,
      created: now(),
      payment_intent: newId('pi'),
      payment_link: link.id,
      line_items: [
        { name: 'payment', description: null, unit_amount: options.amount, quantity: 1 },
      ],
      ui_mode: 'hosted_page',
      client_secret: null,
      return_url: null,
      redirect_on_completion: null,
    };
    this.sessions.set(id, session);
    return this.event(
      'checkout.session.completed',
      { ...this.publicSession(session) },
      link.account,
    );
  }

  /** The charge of a paid session, as Stripe shows it, its refunds listed. */
  charge(paymentIntent: string): Record<string, unknown> {
    const session = [...this.sessions.values()].find((s) => s.payment_intent === paymentIntent);
    if (!session) throw new Error(`FakeStripe: no payment ${paymentIntent}`);
    const list = this.refundsOf(paymentIntent);
    const refunded = list.filter((r) => r.status !== 'failed' && r.status !== 'canceled');
    const amountRefunded = refunded.reduce((sum, r) => sum + r.amount, 0);
    return {
      id: `ch_${paymentIntent.slice(3)}`,
      object: 'charge',
      amount: session.amount_total,
      amount_refunded: amountRefunded,
      currency: session.currency,
      payment_intent: paymentIntent,
      refunded: amountRefunded >= session.amount_total,
      refunds: { object: 'list', data: list.map((r) => this.publicRefund(r)), has_more: false },
    };
  }

  /** charge.refunded for a payment (after a refund Kraam made, or one made in the dashboard). */
  chargeRefunded(paymentIntent: string): Stripe.Event {
    const session = [...this.sessions.values()].find((s) => s.payment_intent === paymentIntent);
    if (!session) throw new Error(`FakeStripe: no payment ${paymentIntent}`);
    return this.event('charge.refunded', this.charge(paymentIntent), session.account);
  }

  /** The maker refunds in the Stripe dashboard (no Kraam metadata); charge.refunded follows. */
  dashboardRefund(
    paymentIntent: string,
    amount: number,
  ): { refund: FakeRefund; event: Stripe.Event } {
    const session = [...this.sessions.values()].find((s) => s.payment_intent === paymentIntent);
    if (!session) throw new Error(`FakeStripe: no payment ${paymentIntent}`);
    const refund = this.makeRefund(session, amount, {}, 'succeeded');
    return { refund, event: this.chargeRefunded(paymentIntent) };
  }

  /** A refund's status changes at Stripe (e.g. the bank returned it): refund.updated. */
  updateRefund(
    refundId: string,
    status: FakeRefund['status'],
    failureReason?: string,
  ): Stripe.Event {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new Error(`FakeStripe: no refund ${refundId}`);
    refund.status = status;
    refund.failure_reason = failureReason ?? null;
    return this.event('refund.updated', this.publicRefund(refund), refund.account);
  }

  refundsOf(paymentIntent: string): FakeRefund[] {
    return [...this.refunds.values()].filter((r) => r.payment_intent === paymentIntent);
  }

  private makeRefund(
    session: FakeSession,
    amount: number,
    metadata: Record<string, string>,
    status: FakeRefund['status'],
  ): FakeRefund {
    const refund: FakeRefund = {
      id: newId('re'),
      object: 'refund',
      account: session.account ?? '',
      amount,
      currency: session.currency,
      payment_intent: session.payment_intent ?? '',
      charge: `ch_${(session.payment_intent ?? '').slice(3)}`,
      status,
      failure_reason: status === 'failed' ? 'unknown' : null,
      reason: null,
      metadata,
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    return refund;
  }

  private publicRefund(refund: FakeRefund): Omit<FakeRefund, 'account'> {
    const { account: _account, ...rest } = refund;
    return rest;
  }

  /** The session an Embedded Checkout client secret belongs to. */
  sessionOfSecret(clientSecret: string): FakeSession | undefined {
    return [...this.sessions.values()].find(
      (s) => s.client_secret !== null && s.client_secret === clientSecret,
    );
  }

  sessionFor(saleId: string): FakeSession | undefined {
    return [...this.sessions.values()].find((s) => s.client_reference_id === saleId);
  }

  private mustSession(id: string): FakeSession {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`FakeStripe: no session ${id}`);
    return session;
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');

    // Test control (browser tests drive the fake process through it): make the next requests
    // to a path answer 500 or never, e.g. POST /control/fail?path=/v1/checkout/sessions&fault=error500&times=2
    if (req.method === 'POST' && url.pathname === '/control/fail') {
      const fault = url.searchParams.get('fault') === 'hang' ? 'hang' : 'error500';
      this.fail(
        url.searchParams.get('path') ?? '/',
        fault,
        Number(url.searchParams.get('times') ?? 1),
      );
      send(res, 200, { ok: true });
      return;
    }
    if (url.pathname === '/health') {
      send(res, 200, { ok: true });
      return;
    }
    if (
      url.pathname.startsWith('/onboarding/') ||
      url.pathname.startsWith('/pay/') ||
      url.pathname.startsWith('/link/') ||
      url.pathname.startsWith('/embedded/')
    ) {
      await this.hostedPage(req.method ?? 'GET', url, raw, res);
      return;
    }

    const params =
      req.method === 'GET' ? parseStripeForm(url.search.slice(1)) : parseStripeForm(raw);
    const stripeAccount = (req.headers['stripe-account'] as string | undefined) ?? null;
    const idempotencyKey = (req.headers['idempotency-key'] as string | undefined) ?? null;
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      params,
      stripeAccount,
      idempotencyKey,
    });

    const fault = this.faults.find((f) => f.remaining > 0 && url.pathname.startsWith(f.pathPrefix));
    if (fault) {
      fault.remaining -= 1;
      if (fault.fault === 'hang') {
        this.hanging.add(res);
        return;
      }
      stripeError(res, 500, 'api_error', 'Fake Stripe: an error on purpose.');
      return;
    }
    if (!(req.headers.authorization ?? '').startsWith('Bearer sk_')) {
      stripeError(res, 401, 'invalid_request_error', 'Invalid API Key provided.');
      return;
    }

    if (req.method === 'POST' && idempotencyKey) {
      const key = `${stripeAccount ?? 'platform'}:${idempotencyKey}`;
      const paramsHash = createHash('sha256').update(`${url.pathname}?${raw}`).digest('hex');
      const seen = this.idempotent.get(key);
      if (seen) {
        if (seen.paramsHash !== paramsHash) {
          stripeError(
            res,
            400,
            'idempotency_error',
            'Keys for idempotent requests can only be used with the same parameters they were first used with.',
          );
          return;
        }
        res.setHeader('idempotent-replayed', 'true');
        send(res, seen.status, seen.body);
        return;
      }
      const [status, body] = this.route(req.method, url.pathname, params, stripeAccount);
      if (status < 500) this.idempotent.set(key, { paramsHash, status, body });
      send(res, status, body);
      return;
    }
    const [status, body] = this.route(req.method ?? 'GET', url.pathname, params, stripeAccount);
    send(res, status, body);
  }

  private route(
    method: string,
    path: string,
    params: Record<string, unknown>,
    stripeAccount: string | null,
  ): [number, unknown] {
    const notFound: [number, unknown] = [
      404,
      { error: { type: 'invalid_request_error', message: `No such resource: ${path}` } },
    ];
    const noAccount: [number, unknown] = [
      400,
      { error: { type: 'invalid_request_error', message: 'No such account' } },
    ];
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/accounts') {
      const account: FakeAccount = {
        id: newId('acct'),
        object: 'account',
        type: String(params.type ?? 'standard'),
        country: String(params.country ?? 'NL'),
        charges_enabled: false,
        details_submitted: false,
        payouts_enabled: false,
        metadata: (params.metadata as Record<string, string> | undefined) ?? {},
        created: now(),
      };
      this.accounts.set(account.id, account);
      return [200, account];
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/accounts\/([^/]+)$/))) {
      const account = this.accounts.get(m[1] ?? '');
      return account ? [200, account] : notFound;
    }
    if (method === 'POST' && path === '/v1/account_links') {
      const account = this.accounts.get(String(params.account ?? ''));
      if (!account) return notFound;
      const back = new URLSearchParams({
        return_url: String(params.return_url ?? ''),
        refresh_url: String(params.refresh_url ?? ''),
      });
      return [
        200,
        {
          object: 'account_link',
          created: now(),
          expires_at: now() + 300,
          url: `${this.baseUrl}/onboarding/${account.id}?${back.toString()}`,
        },
      ];
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      // No Stripe-Account header: a session on the platform's own account (stall fees).
      if (stripeAccount && !this.accounts.has(stripeAccount)) {
        return [400, { error: { type: 'invalid_request_error', message: 'No such account' } }];
      }
      const uiMode = String(params.ui_mode ?? 'hosted_page');
      const embedded = uiMode === 'embedded_page';
      if (embedded && params.success_url !== undefined) {
        return [
          400,
          {
            error: {
              type: 'invalid_request_error',
              message: 'success_url cannot be used with ui_mode embedded_page; use return_url.',
              param: 'success_url',
            },
          },
        ];
      }
      if (!embedded && params.return_url !== undefined) {
        return [
          400,
          {
            error: {
              type: 'invalid_request_error',
              message: 'return_url can only be used with ui_mode embedded_page.',
              param: 'return_url',
            },
          },
        ];
      }
      const items =
        (params.line_items as Record<string, Record<string, unknown>>[] | undefined) ?? [];
      const lineItems = items.map((item) => {
        const price = item.price_data as Record<string, unknown>;
        const product = price.product_data as Record<string, string>;
        return {
          name: product.name ?? '',
          description: product.description ?? null,
          unit_amount: Number(price.unit_amount),
          quantity: Number(item.quantity),
        };
      });
      const total = lineItems.reduce((sum, l) => sum + l.unit_amount * l.quantity, 0);
      const id = `cs_test_${randomBytes(12).toString('hex')}`;
      const session: FakeSession = {
        id,
        object: 'checkout.session',
        account: stripeAccount,
        ui_mode: uiMode,
        client_secret: embedded ? `${id}_secret_${randomBytes(12).toString('hex')}` : null,
        return_url: (params.return_url as string | undefined) ?? null,
        redirect_on_completion: embedded ? String(params.redirect_on_completion ?? 'always') : null,
        mode: String(params.mode ?? 'payment'),
        status: 'open',
        payment_status: 'unpaid',
        amount_total: total,
        amount_subtotal: total,
        currency: String(
          (items[0]?.price_data as Record<string, unknown> | undefined)?.currency ?? 'eur',
        ),
        client_reference_id: (params.client_reference_id as string | undefined) ?? null,
        metadata: (params.metadata as Record<string, string> | undefined) ?? {},
        success_url: (params.success_url as string | undefined) ?? null,
        cancel_url: (params.cancel_url as string | undefined) ?? null,
        url: embedded ? null : `${this.baseUrl}/pay/${id}`,
        expires_at: Number(params.expires_at ?? now() + 86_400),
        created: now(),
        payment_intent: null,
        payment_link: null,
        line_items: lineItems,
      };
      this.sessions.set(id, session);
      return [200, this.publicSession(session)];
    }
    if (method === 'POST' && path === '/v1/products') {
      if (!stripeAccount || !this.accounts.has(stripeAccount)) return noAccount;
      const product = {
        id: newId('prod'),
        account: stripeAccount,
        name: String(params.name ?? ''),
      };
      this.products.set(product.id, product);
      return [200, { id: product.id, object: 'product', name: product.name, active: true }];
    }
    if (method === 'POST' && path === '/v1/prices') {
      if (!stripeAccount || !this.accounts.has(stripeAccount)) return noAccount;
      const product = this.products.get(String(params.product ?? ''));
      if (!product || product.account !== stripeAccount) return notFound;
      const custom = params.custom_unit_amount as Record<string, string> | undefined;
      const price: FakePrice = {
        id: newId('price'),
        object: 'price',
        account: stripeAccount,
        product: product.id,
        currency: String(params.currency ?? 'eur'),
        unit_amount: params.unit_amount === undefined ? null : Number(params.unit_amount),
        custom_unit_amount:
          custom?.enabled === 'true'
            ? {
                minimum: custom.minimum === undefined ? null : Number(custom.minimum),
                maximum: custom.maximum === undefined ? null : Number(custom.maximum),
                preset: null,
              }
            : null,
      };
      this.prices.set(price.id, price);
      const { account: _account, ...shown } = price;
      return [200, shown];
    }
    if (method === 'POST' && path === '/v1/payment_links') {
      if (!stripeAccount || !this.accounts.has(stripeAccount)) return noAccount;
      const items = (params.line_items as Record<string, string>[] | undefined) ?? [];
      const price = this.prices.get(String(items[0]?.price ?? ''));
      if (!price || price.account !== stripeAccount) return notFound;
      const id = newId('plink');
      const link: FakePaymentLink = {
        id,
        object: 'payment_link',
        account: stripeAccount,
        active: true,
        url: `${this.baseUrl}/link/${id}`,
        price: price.id,
        metadata: (params.metadata as Record<string, string> | undefined) ?? {},
      };
      this.paymentLinks.set(id, link);
      return [200, this.publicLink(link)];
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/payment_links\/([^/]+)$/))) {
      const link = this.paymentLinks.get(m[1] ?? '');
      if (!link || link.account !== stripeAccount) return notFound;
      return [200, this.publicLink(link)];
    }
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      if (!stripeAccount || !this.accounts.has(stripeAccount)) return noAccount;
      const limit = Math.min(Number(params.limit ?? 10), 100);
      const all = [...this.sessions.values()]
        .filter(
          (s) =>
            s.account === stripeAccount &&
            (params.payment_link === undefined || s.payment_link === params.payment_link) &&
            (params.status === undefined || s.status === params.status),
        )
        .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
      const after = params.starting_after as string | undefined;
      const start = after ? all.findIndex((s) => s.id === after) + 1 : 0;
      const page = all.slice(start, start + limit);
      return [
        200,
        {
          object: 'list',
          url: '/v1/checkout/sessions',
          has_more: start + limit < all.length,
          data: page.map((s) => this.publicSession(s)),
        },
      ];
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = String(params.payment_intent ?? '');
      const session = [...this.sessions.values()].find(
        (s) => s.payment_intent === intent && s.account === stripeAccount,
      );
      if (!intent || !session) {
        return [
          404,
          {
            error: {
              type: 'invalid_request_error',
              code: 'resource_missing',
              message: `No such payment_intent: '${intent}'`,
              param: 'payment_intent',
            },
          },
        ];
      }
      const given = this.refundsOf(intent)
        .filter((r) => r.status !== 'failed' && r.status !== 'canceled')
        .reduce((sum, r) => sum + r.amount, 0);
      const left = session.amount_total - given;
      const amount = params.amount === undefined ? left : Number(params.amount);
      if (!Number.isInteger(amount) || amount < 1) {
        return [
          400,
          { error: { type: 'invalid_request_error', message: 'Invalid integer', param: 'amount' } },
        ];
      }
      if (left <= 0) {
        return [
          400,
          {
            error: {
              type: 'invalid_request_error',
              code: 'charge_already_refunded',
              message: `Charge ch_${intent.slice(3)} has already been refunded.`,
            },
          },
        ];
      }
      if (amount > left) {
        return [
          400,
          {
            error: {
              type: 'invalid_request_error',
              message: `Refund amount (€${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge (€${(left / 100).toFixed(2)})`,
              param: 'amount',
            },
          },
        ];
      }
      const refund = this.makeRefund(
        session,
        amount,
        (params.metadata as Record<string, string> | undefined) ?? {},
        this.refundStatus,
      );
      refund.reason = (params.reason as string | undefined) ?? null;
      return [200, this.publicRefund(refund)];
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/refunds\/([^/]+)$/))) {
      const refund = this.refunds.get(m[1] ?? '');
      if (!refund || refund.account !== stripeAccount) return notFound;
      return [200, this.publicRefund(refund)];
    }
    if ((m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/))) {
      const session = this.sessions.get(m[1] ?? '');
      if (!session || session.account !== stripeAccount) return notFound;
      if (m[2]) {
        if (method !== 'POST') return notFound;
        if (session.status !== 'open') {
          return [
            400,
            {
              error: {
                type: 'invalid_request_error',
                message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
              },
            },
          ];
        }
        session.status = 'expired';
        session.url = null;
        void this.deliver(this.event('checkout.session.expired', { ...session }, session.account));
      }
      return [200, this.publicSession(session)];
    }
    return notFound;
  }

  private publicLink(link: FakePaymentLink) {
    const { account: _account, price: _price, ...rest } = link;
    return rest;
  }

  private publicSession(session: FakeSession): Omit<FakeSession, 'account' | 'line_items'> {
    const { account: _account, line_items: _lines, ...rest } = session;
    return rest;
  }

  private async hostedPage(method: string, url: URL, raw: string, res: ServerResponse) {
    const html = (title: string, body: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`,
      );
    };
    let m: RegExpMatchArray | null;
    if ((m = url.pathname.match(/^\/onboarding\/([^/]+)$/))) {
      const account = this.accounts.get(m[1] ?? '');
      if (!account) return html('No such account', '');
      const returnUrl = url.searchParams.get('return_url') ?? '';
      if (method === 'POST') {
        await this.deliver(this.updateAccount(account.id, true));
        res.writeHead(303, { location: returnUrl });
        res.end();
        return;
      }
      return html(
        'Fake Stripe onboarding',
        `<form method="post"><button type="submit">Finish onboarding</button></form>`,
      );
    }
    // Embedded Checkout's frame (the browser tests' Stripe.js stand-in shows this): the
    // session is found by its client secret, as Stripe.js finds it.
    if ((m = url.pathname.match(/^\/embedded\/([^/]+)$/))) {
      const session = this.sessionOfSecret(decodeURIComponent(m[1] ?? ''));
      // Stripe.js was made for one account (`stripeAccount`): another's session is not found.
      const account = url.searchParams.get('account') || null;
      if (!session || session.account !== account) return html('No such session', '');
      if (method === 'POST' && session.status === 'open') {
        await this.deliver(this.complete(session.id));
        return html('Paid', '<p>Thank you.</p>');
      }
      const lines = session.line_items
        .map((l) => `<li>${l.name} × ${l.quantity}: ${l.unit_amount}</li>`)
        .join('');
      return html(
        'Fake Embedded Checkout',
        `<ul>${lines}</ul><p>Total ${session.amount_total}</p><form method="post"><button type="submit">Pay</button></form>`,
      );
    }
    if ((m = url.pathname.match(/^\/pay\/([^/]+)$/))) {
      const session = this.sessions.get(m[1] ?? '');
      if (!session) return html('No such session', '');
      if (method === 'POST' && session.status === 'open') {
        void raw;
        await this.deliver(this.complete(session.id));
        return html('Paid', '<p>Thank you.</p>');
      }
      const lines = session.line_items
        .map((l) => `<li>${l.name} × ${l.quantity}: ${l.unit_amount}</li>`)
        .join('');
      return html(
        'Fake Stripe Checkout',
        `<ul>${lines}</ul><p>Total ${session.amount_total}</p><form method="post"><button type="submit">Pay</button></form>`,
      );
    }
    if ((m = url.pathname.match(/^\/link\/([^/]+)$/))) {
      const link = this.paymentLinks.get(m[1] ?? '');
      if (!link) return html('No such payment link', '');
      const reference = url.searchParams.get('client_reference_id');
      if (method === 'POST') {
        const amount = Math.round(Number(new URLSearchParams(raw).get('amount') ?? '0') * 100);
        await this.deliver(this.payLink(link.id, { clientReferenceId: reference, amount }));
        return html('Paid', '<p>Thank you.</p>');
      }
      return html(
        'Fake Stripe payment link',
        `<form method="post"><label>Amount (EUR) <input name="amount" inputmode="decimal"></label><button type="submit">Pay</button></form>`,
      );
    }
    return html('Not found', '');
  }
}
