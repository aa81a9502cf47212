// Draws the Crampwise icons (a white "C" with a light-blue wave on deep blue) into public/, with a
// pure-JS PNG encoder (pngjs): no network, no native tools. Files are rewritten only when they change.
//
//   icon-192.png, icon-512.png      purpose "any": rounded square
//   icon-maskable-512.png           purpose "maskable": full bleed, the mark inside the 80 % safe zone
//   apple-touch-icon.png (180 px)   full bleed (iOS rounds the corners itself)
//   favicon.svg                     the same mark as a vector
//   shortcut-cramp-96.png, -192     the home-screen shortcut "Log a cramp": a white plus on the same blue

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'public');
mkdirSync(out, { recursive: true });

const BG = [0x0b, 0x4f, 0x8a];
const C = [0xff, 0xff, 0xff];
const WAVE = [0x8f, 0xdc, 0xff];

const GAP = Math.PI / 4; // the C opens 45° either side of "east"
const R_OUT = 0.34;
const R_IN = 0.22;
const R_MID = (R_OUT + R_IN) / 2;
const CAP = (R_OUT - R_IN) / 2;
const WAVE_X0 = 0.35;
const WAVE_X1 = 0.8;
const WAVE_AMP = 0.04;
const WAVE_LEN = 0.22;
const WAVE_HALF = 0.032;

function waveY(x) {
  return 0.5 + WAVE_AMP * Math.sin((2 * Math.PI * (x - WAVE_X0)) / WAVE_LEN);
}

function inC(x, y) {
  const dx = x - 0.5;
  const dy = y - 0.5;
  const d = Math.hypot(dx, dy);
  const angle = Math.atan2(-dy, dx); // y grows downwards
  if (d >= R_IN && d <= R_OUT && Math.abs(angle) >= GAP) return true;
  for (const a of [GAP, -GAP]) {
    const cx = 0.5 + R_MID * Math.cos(a);
    const cy = 0.5 - R_MID * Math.sin(a);
    if (Math.hypot(x - cx, y - cy) <= CAP) return true;
  }
  return false;
}

// The wave as a polyline; a point is on the stroke when it is within WAVE_HALF of a segment.
const WAVE_POINTS = Array.from({ length: 121 }, (_, i) => {
  const x = WAVE_X0 + ((WAVE_X1 - WAVE_X0) * i) / 120;
  return [x, waveY(x)];
});

function inWave(x, y) {
  if (x < WAVE_X0 - WAVE_HALF || x > WAVE_X1 + WAVE_HALF) return false;
  if (Math.abs(y - 0.5) > WAVE_AMP + WAVE_HALF) return false;
  for (let i = 1; i < WAVE_POINTS.length; i++) {
    const [ax, ay] = WAVE_POINTS[i - 1];
    const [bx, by] = WAVE_POINTS[i];
    const vx = bx - ax;
    const vy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
    if (Math.hypot(x - (ax + t * vx), y - (ay + t * vy)) <= WAVE_HALF) return true;
  }
  return false;
}

function inRoundedSquare(x, y, radius) {
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - radius), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - radius), 0);
  return Math.hypot(qx, qy) <= radius;
}

// The shortcut's mark: a plus ("add a cramp") with round ends, thin enough to read as "add" and not as a
// first-aid cross, inside the safe zone.
function inPlus(x, y) {
  const half = 0.05;
  const reach = 0.25;
  const dx = Math.abs(x - 0.5);
  const dy = Math.abs(y - 0.5);
  const along = (a, b) => Math.hypot(Math.max(a - reach, 0), b) <= half; // a capsule along one axis
  return along(dx, dy) || along(dy, dx);
}

/** The colour (with alpha 0..1) at a point of the unit square. */
function sample(x, y, { scale, fullBleed, mark = 'logo' }) {
  if (!fullBleed && !inRoundedSquare(x, y, 0.22)) return null;
  const mx = 0.5 + (x - 0.5) / scale;
  const my = 0.5 + (y - 0.5) / scale;
  if (mark === 'plus') return inPlus(mx, my) ? C : BG;
  if (inWave(mx, my)) return WAVE;
  if (inC(mx, my)) return C;
  return BG;
}

function draw(size, options) {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  const n = 4; // 4 x 4 supersampling
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = sample((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, options);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((255 * a) / (n * n));
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

function writeIfChanged(name, data) {
  const path = join(out, name);
  if (existsSync(path) && Buffer.compare(readFileSync(path), Buffer.from(data)) === 0) return false;
  writeFileSync(path, data);
  return true;
}

function wavePath() {
  const points = [];
  for (let i = 0; i <= 40; i++) {
    const x = WAVE_X0 + ((WAVE_X1 - WAVE_X0) * i) / 40;
    points.push(`${(x * 64).toFixed(2)},${(waveY(x) * 64).toFixed(2)}`);
  }
  return `M${points.join(' L')}`;
}

function svg() {
  const s = 64;
  const a0x = (0.5 + R_MID * Math.cos(GAP)) * s;
  const a0y = (0.5 - R_MID * Math.sin(GAP)) * s;
  const a1y = (0.5 + R_MID * Math.sin(GAP)) * s;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Crampwise">
  <rect width="64" height="64" rx="14" fill="#0b4f8a"/>
  <path d="M${a0x.toFixed(2)},${a0y.toFixed(2)} A${(R_MID * s).toFixed(2)},${(R_MID * s).toFixed(2)} 0 1 0 ${a0x.toFixed(2)},${a1y.toFixed(2)}" fill="none" stroke="#fff" stroke-width="${((R_OUT - R_IN) * s).toFixed(2)}" stroke-linecap="round"/>
  <path d="${wavePath()}" fill="none" stroke="#8fdcff" stroke-width="${(2 * WAVE_HALF * s).toFixed(2)}" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`;
}

const jobs = [
  ['icon-192.png', 192, { scale: 1, fullBleed: false }],
  ['icon-512.png', 512, { scale: 1, fullBleed: false }],
  ['icon-maskable-512.png', 512, { scale: 0.8, fullBleed: true }],
  ['apple-touch-icon.png', 180, { scale: 0.9, fullBleed: true }],
  ['shortcut-cramp-96.png', 96, { scale: 1, fullBleed: false, mark: 'plus' }],
  ['shortcut-cramp-192.png', 192, { scale: 1, fullBleed: false, mark: 'plus' }],
];
let changed = 0;
for (const [name, size, options] of jobs) changed += writeIfChanged(name, draw(size, options)) ? 1 : 0;
changed += writeIfChanged('favicon.svg', svg()) ? 1 : 0;
console.log(`icons: ${changed ? `${changed} written` : 'up to date'} in public/`);
