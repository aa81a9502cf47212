// After `vite build`: checks the output contract with Django and reports the first load's size.
//   dist/index.html, dist/manifest.webmanifest, dist/sw.js (root), dist/assets/* (hashed), icons.
//   First load = the JS and CSS index.html pulls in (scripts, module preloads, stylesheets), gzipped.
// Fails the build when a file is missing or the first load, in any of the app's languages, exceeds the
// budget (150 KB gzip).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 150 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const problems = [];

for (const file of ['index.html', 'manifest.webmanifest', 'sw.js', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png', 'apple-touch-icon.png', 'favicon.svg', 'shortcut-cramp-96.png']) {
  if (!existsSync(join(dist, file))) problems.push(`missing dist/${file}`);
}
const assets = existsSync(join(dist, 'assets')) ? readdirSync(join(dist, 'assets')) : [];
if (!assets.some((f) => /-[\w-]{8,}\.js$/.test(f))) problems.push('no hashed JS in dist/assets/');

const manifest = JSON.parse(readFileSync(join(dist, 'manifest.webmanifest'), 'utf8'));
for (const [key, want] of Object.entries({ name: 'Crampwise', short_name: 'Crampwise', start_url: '/', scope: '/', display: 'standalone' })) {
  if (manifest[key] !== want) problems.push(`manifest ${key} is ${manifest[key]}, want ${want}`);
}
const sizes = (manifest.icons ?? []).map((i) => `${i.sizes}:${i.purpose ?? 'any'}`);
for (const want of ['192x192:any', '512x512:any', '512x512:maskable']) {
  if (!sizes.includes(want)) problems.push(`manifest lacks icon ${want}`);
}

const cramp = (manifest.shortcuts ?? []).find((s) => new URL(s.url, 'https://x').pathname === '/cramp');
if (!cramp) problems.push('manifest lacks the "Log a cramp" shortcut to /cramp');
else if (!(cramp.icons ?? []).some((i) => i.sizes === '96x96' && existsSync(join(dist, i.src)))) {
  problems.push('the "Log a cramp" shortcut lacks its 96x96 icon in dist/');
}

const html = readFileSync(join(dist, 'index.html'), 'utf8');
if (!html.includes('rel="manifest"')) problems.push('index.html does not link the manifest');
const firstLoad = new Set();
for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)) firstLoad.add(m[1]);

const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
if (/\/api\/v1\/[a-z]/.test(sw) && !sw.includes('/api/v1/reminders/actions/')) problems.push('sw.js mentions API paths unexpectedly');

let total = 0;
let raw = 0;
const rows = [];
for (const path of firstLoad) {
  const data = readFileSync(join(dist, path));
  const gz = gzipSync(data, { level: 9 }).length;
  total += gz;
  raw += data.length;
  rows.push(`  ${path}  ${(data.length / 1024).toFixed(1)} KB, gzip ${(gz / 1024).toFixed(1)} KB`);
}
const swGz = gzipSync(readFileSync(join(dist, 'sw.js')), { level: 9 }).length;
console.log('first load (JS + CSS referenced by index.html):');
console.log(rows.join('\n'));
console.log(`first load total: ${(raw / 1024).toFixed(1)} KB, gzip ${(total / 1024).toFixed(1)} KB (budget ${BUDGET / 1024} KB)`);
console.log(`service worker sw.js: gzip ${(swGz / 1024).toFixed(1)} KB (installed in the background)`);
if (total > BUDGET) problems.push(`first load ${(total / 1024).toFixed(1)} KB gzip is over the ${BUDGET / 1024} KB budget`);

// German and Spanish: the same first load plus the language's catalogue, fetched before the app starts.
for (const language of ['de', 'es']) {
  const chunk = assets.find((f) => f.startsWith(`${language}-`) && f.endsWith('.js'));
  if (!chunk) {
    problems.push(`no catalogue chunk for ${language} in dist/assets/ (it must load on demand, apart from the first load)`);
    continue;
  }
  const gz = gzipSync(readFileSync(join(dist, 'assets', chunk)), { level: 9 }).length;
  const withIt = total + gz;
  console.log(`first load in ${language}: gzip ${(withIt / 1024).toFixed(1)} KB (catalogue ${chunk} ${(gz / 1024).toFixed(1)} KB)`);
  if (withIt > BUDGET) problems.push(`first load in ${language} ${(withIt / 1024).toFixed(1)} KB gzip is over the ${BUDGET / 1024} KB budget`);
}

if (problems.length) {
  console.error('dist check FAILED:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log('dist check: ok');
