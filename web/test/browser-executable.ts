/**
 * Which Chromium the end-to-end tests drive (issue 12): the one HMIS_CHROMIUM names, else Debian's, else the headless
 * shell the @sparticuz/chromium npm package ships, so that a machine where Debian's cannot be installed (no root, not
 * Debian, apt failed) still runs them. That package's browser is brotli-compressed; its first use extracts it into the
 * temporary directory (about 200 MB, a few seconds) and later uses find it there.
 */
import { existsSync } from 'node:fs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export interface BrowserExecutable {
  path: string;
  /** Which browser this is, for the run's log. */
  label: string;
}

export async function browserExecutable({
  env = process.env,
  debianPath = DEBIAN_CHROMIUM,
}: {
  env?: NodeJS.ProcessEnv;
  debianPath?: string;
} = {}): Promise<BrowserExecutable> {
  if (env.HMIS_CHROMIUM) return { path: env.HMIS_CHROMIUM, label: 'HMIS_CHROMIUM' };
  if (existsSync(debianPath)) return { path: debianPath, label: "Debian's Chromium" };
  return npmChromium();
}

/** The browser the @sparticuz/chromium package ships, extracted if it is not yet. */
export async function npmChromium(): Promise<BrowserExecutable> {
  const { default: chromium } = await import('@sparticuz/chromium');
  return { path: await chromium.executablePath(), label: 'the @sparticuz/chromium npm package' };
}
