// What the server benchmarks sell: realistic sales made by the app's own domain code
// (RawDevice.sale: cart, VAT, cash payment, one stock movement per stocked line).

export const LINES_PER_SALE = 3;

/** `count` cash sales of LINES_PER_SALE different products each (so as many movements). */
export function makeSales(device, event, products, count) {
  return Array.from({ length: count }, (_, n) => {
    const items = Array.from({ length: LINES_PER_SALE }, (_, i) => ({
      product: products[(n * 7 + i * 3) % products.length],
      quantity: 1 + ((n + i) % 3),
    }));
    return device.sale(event.id, items);
  });
}

/** A maker's event and products, with an opening count for each product (mutations). */
export function shopSetup(device, productCount, opening) {
  const event = device.event();
  const products = Array.from({ length: productCount }, (_, i) =>
    device.product({ name: `Product ${i + 1}`, priceCents: 250 + 50 * i, vatRate: i % 2 ? 9 : 21 }),
  );
  const mutations = [
    device.eventUpsert(event),
    ...products.map((p) => device.productUpsert(p)),
    ...products.map((p) => device.stock(event.id, p.id, opening, 'recount')),
  ];
  return { event, products, mutations };
}
