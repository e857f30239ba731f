import { describe, expect, it } from 'vitest';
import { paymentLinkForSale } from './link';

const SALE = '0190f5d2-3c4b-7a00-8000-000000000001';

describe('paymentLinkForSale', () => {
  it('[link] appends the sale id as client_reference_id to the kept link', () => {
    expect(paymentLinkForSale('https://buy.stripe.com/test_abc', SALE)).toBe(
      `https://buy.stripe.com/test_abc?client_reference_id=${SALE}`,
    );
  });

  it('[link] keeps the link’s own query and replaces an earlier sale id', () => {
    const once = paymentLinkForSale('https://buy.stripe.com/x?locale=nl', 'old');
    expect(paymentLinkForSale(once ?? '', SALE)).toBe(
      `https://buy.stripe.com/x?locale=nl&client_reference_id=${SALE}`,
    );
  });

  it('[link] a kept value that is no web link gives no QR (cash only)', () => {
    expect(paymentLinkForSale('not a url', SALE)).toBeNull();
    expect(paymentLinkForSale('javascript:alert(1)', SALE)).toBeNull();
  });
});
