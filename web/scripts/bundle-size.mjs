#!/usr/bin/env node
// After `vite build`: the JavaScript a first visit downloads before anything shows (the entry and the modules
// index.html preloads), gzipped, chunk by chunk, against issue 13's budget of 200 kB. Pages, forms, charts and the
// toasts load later, when first needed. Prints PASS or MISS; never fails the build.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 200;
const dist = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', process.argv[2] ?? 'dist');
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = [...new Set([...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]))];
const kb = (bytes) => bytes / 1024;
const rows = initial.map((file) => {
  const bytes = readFileSync(path.join(dist, file));
  return { file, raw: kb(bytes.length), gzip: kb(gzipSync(bytes, { level: 9 }).length) };
});
rows.sort((a, b) => b.gzip - a.gzip);
const total = rows.reduce((sum, r) => sum + r.gzip, 0);
console.log('\nInitial JavaScript (loaded before the first screen), gzipped:');
for (const r of rows) console.log(`  ${r.gzip.toFixed(1).padStart(6)} kB  ${r.file} (${r.raw.toFixed(1)} kB raw)`);
console.log(
  `  ${total.toFixed(1).padStart(6)} kB  total, ${rows.length} files; budget ${BUDGET_KB} kB: ${total <= BUDGET_KB ? 'PASS' : 'MISS'}\n`,
);
