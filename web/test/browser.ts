/**
 * The browser side of the end-to-end tests: the built client served by the real app on a fresh database (one per
 * test file), driven in Chromium (Debian's, else an npm-shipped one: browser-executable.ts) through playwright-core.
 * Elements are found by role and label, the way a screen reader finds them; every main screen is scanned with axe-core
 * and saved as a screenshot.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../server/src/app';
import { createTestEnv, loggedIn, PASSWORD, type TestEnv } from '../../server/test/helpers';
import { browserExecutable, type BrowserExecutable } from './browser-executable';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
export const SHOTS = path.resolve(import.meta.dirname, '../test-results/screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface Harness {
  env: TestEnv;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

/**
 * `sessionIdleMs`: the served app ends sessions after this much unuse (the session-timeout test), not 30 minutes.
 * `executable`: the browser to drive instead of the usual choice (browser-fallback.e2e forces the npm-shipped one).
 */
export async function startHarness(options: { sessionIdleMs?: number; executable?: BrowserExecutable } = {}): Promise<Harness> {
  const env = await createTestEnv();
  const { sessionIdleMs, executable = await browserExecutable() } = options;
  const app =
    sessionIdleMs === undefined
      ? env.app
      : await buildApp({ db: env.database.db, clock: env.clock, sessionSecret: env.sessionSecret, secureCookies: false, sessionIdleMs });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: executable.path, headless: true, args: CHROMIUM_ARGS });
  mkdirSync(SHOTS, { recursive: true });
  return {
    env,
    browser,
    base,
    async close() {
      await browser.close();
      if (app !== env.app) await app.close();
      await env.close();
    },
  };
}

/**
 * Browser context options for the tests: axe-core is injected as a script, which the app's Content-Security-Policy
 * (no inline scripts) would block, so these contexts bypass it. app.e2e checks the app itself runs under the policy.
 */
export const TEST_CONTEXT = { bypassCSP: true } as const;

/** A new browser context signed in as `username`, on its start page. */
export async function openAs(h: Harness, username: string, password = PASSWORD): Promise<Page> {
  const context = await h.browser.newContext({ ...TEST_CONTEXT, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(h.base);
  await signIn(page, username, password);
  await page.getByRole('button', { name: /account menu$/ }).waitFor();
  return page;
}

export async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: /account menu$/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

/** Waits until the locator is on screen and returns its text, white space folded. */
export async function seen(locator: Locator): Promise<string> {
  await locator.first().waitFor({ state: 'visible' });
  return (await locator.first().innerText()).replace(/\s+/g, ' ').trim();
}

export async function shot(page: Page, name: string) {
  await page.waitForTimeout(150); // let transitions finish
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** axe-core over the whole page (WCAG 2 A and AA): no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string) {
  await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations;
  })) as AxeViolation[];
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`)
          .join(', ')}`,
    );
  expect(bad).toEqual([]);
}

/** Screenshot and axe scan of a main screen. */
export async function mainScreen(page: Page, name: string) {
  await shot(page, name);
  await expectAccessible(page, name);
}

/** Picks an option of a Mantine Select (a combobox) by its label. */
export async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

export { loggedIn, PASSWORD };
