/** The order in which the end-to-end tests pick their browser: HMIS_CHROMIUM, then Debian's, then the npm package's. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserExecutable, npmChromium } from './browser-executable';

const dir = mkdtempSync(path.join(tmpdir(), 'hmis-browser-'));
const debianPath = path.join(dir, 'chromium'); // stands in for /usr/bin/chromium
writeFileSync(debianPath, '');
const absent = path.join(dir, 'no-chromium');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the browser the end-to-end tests drive', () => {
  it('is the one HMIS_CHROMIUM names, even when Debian has one', async () => {
    expect(await browserExecutable({ env: { HMIS_CHROMIUM: '/opt/my/chrome' }, debianPath })).toEqual({
      path: '/opt/my/chrome',
      label: 'HMIS_CHROMIUM',
    });
  });

  it("is Debian's when HMIS_CHROMIUM is not set", async () => {
    expect(await browserExecutable({ env: {}, debianPath })).toEqual({ path: debianPath, label: "Debian's Chromium" });
  });

  it("is the npm package's when Debian has none", async () => {
    const chosen = await browserExecutable({ env: { HMIS_CHROMIUM: '' }, debianPath: absent });
    expect(chosen).toEqual(await npmChromium());
    expect(chosen.label).toContain('@sparticuz/chromium');
    expect(chosen.path).not.toBe(absent);
  });
});
