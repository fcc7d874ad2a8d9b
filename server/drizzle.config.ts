import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` is used (never push/pull: they crash on MariaDB once a JSON column exists).
export default defineConfig({
  dialect: 'mysql',
  schema: './src/db/schema/index.ts',
  out: '../drizzle',
  casing: 'snake_case',
});
