#!/usr/bin/env node
// Draws the extension icons (a white magnifier on a violet rounded square) as PNG files.
// Run once after changing the design: `node tests/tools/make-icons.mjs`; the PNGs are committed.
// No dependencies: shapes are signed-distance functions, anti-aliased per pixel, encoded with zlib.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'extension', 'icons');
const SIZES = [16, 32, 48, 128];

const BACKGROUND = [91, 43, 214]; // #5b2bd6
const LENS = [139, 108, 240]; // #8b6cf0
const WHITE = [255, 255, 255];

const length = (x, y) => Math.hypot(x, y);

function roundedRect(px, py, cx, cy, half, radius) {
  const qx = Math.abs(px - cx) - (half - radius);
  const qy = Math.abs(py - cy) - (half - radius);
  return length(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function segment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return length(px - (ax + t * dx), py - (ay + t * dy));
}

/** Coverage (0–1) of a shape whose signed distance, in pixels, is `d`. */
const cover = (d) => Math.max(0, Math.min(1, 0.5 - d));

function draw(size) {
  const s = size;
  // Thin strokes vanish at 16 px: keep them at least ~1.6 px wide.
  const ring = Math.max(0.085 * s, 1.7);
  const handle = Math.max(0.13 * s, 2.4);
  const lensCx = 0.43 * s;
  const lensCy = 0.43 * s;
  const lensR = 0.21 * s + ring / 2;
  const rgba = Buffer.alloc(s * s * 4);
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const bg = cover(roundedRect(px, py, s / 2, s / 2, s / 2, 0.22 * s));
      const lens = cover(length(px - lensCx, py - lensCy) - lensR);
      const dRing = Math.abs(length(px - lensCx, py - lensCy) - lensR) - ring / 2;
      const k = lensR / Math.SQRT2;
      const dHandle = segment(px, py, lensCx + k, lensCy + k, 0.76 * s, 0.76 * s) - handle / 2;
      const fg = cover(Math.min(dRing, dHandle));
      const colour = [0, 1, 2].map((i) => {
        const under = BACKGROUND[i] * (1 - lens) + LENS[i] * lens;
        return Math.round(under * (1 - fg) + WHITE[i] * fg);
      });
      const o = (y * s + x) * 4;
      rgba[o] = colour[0];
      rgba[o + 1] = colour[1];
      rgba[o + 2] = colour[2];
      rgba[o + 3] = Math.round(255 * bg);
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
for (const size of SIZES) {
  const file = join(OUT, `icon-${size}.png`);
  writeFileSync(file, png(size, draw(size)));
  console.log(`wrote ${file}`);
}
