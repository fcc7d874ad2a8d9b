/**
 * The fallback browser really drives the app (issue 12): where Debian's Chromium cannot be installed, the tests use the
 * headless shell the @sparticuz/chromium npm package ships. Forced here, whichever browser this machine would pick.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import web from '../package.json';
import { mainScreen, openAs, seen, startHarness, TEST_CONTEXT, type Harness } from './browser';
import { npmChromium } from './browser-executable';

// The package's major version is the major version of the Chromium it ships (153.0.0 ships 153.0.x).
const packageMajor = web.devDependencies['@sparticuz/chromium'].split('.')[0];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ executable: await npmChromium() });
});
afterAll(async () => h?.close());

describe('the npm-shipped browser', () => {
  it("is the one driven: its Chromium's major version is the package's", () => {
    expect(h.browser.version().split('.')[0]).toBe(packageMajor);
  });

  it('renders the sign-in screen and signs a user in', async () => {
    const page = await h.browser.newPage(TEST_CONTEXT);
    await page.goto(h.base);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await mainScreen(page, 'fallback-browser-sign-in');
    await page.close();
    const signedIn = await openAs(h, 'records');
    expect(await seen(signedIn.getByRole('button', { name: /account menu$/ }))).toContain('records Tester');
    await mainScreen(signedIn, 'fallback-browser-start');
  });
});
