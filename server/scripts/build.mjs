/**
 * Builds the production server: src/main.ts and what it imports from this repo (server and shared) bundled into
 * dist/main.mjs; npm packages stay external and load from node_modules. Running compiled JavaScript instead of
 * TypeScript through tsx's loader thread saves ~35 MB of resident memory and the compile at start.
 *
 *   node scripts/build.mjs        (npm run build -w @hmis/server; npm start runs it first)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const serverDir = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(serverDir, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith('@hmis/'));

await build({
  entryPoints: [path.join(serverDir, 'src/main.ts')],
  outfile: path.join(serverDir, 'dist/main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: [...external, ...external.map((name) => `${name}/*`)],
  sourcemap: true,
  logLevel: 'warning',
});
