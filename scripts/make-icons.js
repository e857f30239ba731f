// Draws Kraam's icon (a market-stall awning) as PNG files, with no image tools needed.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const u = x / size,
        v = y / size;
      let rgb = [0x9a, 0x34, 0x12]; // terracotta
      const inAwning = v > 0.22 && v < 0.45 && u > 0.15 && u < 0.85;
      const stripe = Math.floor((u - 0.15) / 0.1) % 2 === 0;
      const scallop =
        v >= 0.45 &&
        v < 0.52 &&
        u > 0.15 &&
        u < 0.85 &&
        Math.hypot(((u - 0.15) % 0.1) - 0.05, v - 0.45) < 0.05;
      const counter = v > 0.62 && v < 0.72 && u > 0.2 && u < 0.8;
      const poles = v >= 0.45 && v < 0.8 && ((u > 0.2 && u < 0.24) || (u > 0.76 && u < 0.8));
      if (inAwning || scallop) rgb = stripe ? [0xff, 0xfa, 0xf3] : [0xf5, 0xb7, 0x2e];
      if (counter || poles) rgb = [0xff, 0xfa, 0xf3];
      raw.set(rgb, y * (size * 3 + 1) + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
for (const [name, size] of [
  ['favicon.png', 64],
  ['icon-192.png', 192],
  ['icon-512.png', 512],
]) {
  writeFileSync(new URL(`../static/${name}`, import.meta.url), png(size));
}
