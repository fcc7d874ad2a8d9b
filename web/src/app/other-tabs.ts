/**
 * One browser, several tabs, one session cookie: who is signed in is the same in every tab, so every tab must follow a
 * sign-out or a change of user made in another (a ward computer: doctor A signs out in one tab, nurse B signs in, and
 * A's chart in the next tab must not stay on screen, refreshed with B's rights, nor write A's drafts back on close).
 *
 * - `hmis.signedIn` (localStorage, a staff id only) says who signed in or out last; the other tabs hear it through the
 *   `storage` event. A tab whose user is no longer the one signed in stops writing drafts and starts again at `/`:
 *   the sign-in page, or the new user's start page.
 * - `hmis.tabUser` (sessionStorage, kept across a reload of this tab) is who last used this tab: signing in on the
 *   sign-in page as someone else starts at their start page, not on the previous user's patient (after the page under
 *   an ended session was let go, KEEP_PAGE_MS).
 */
import { stopDraftWrites } from '../components/drafts';

const SIGNED_IN = 'hmis.signedIn';
const TAB_USER = 'hmis.tabUser';

function storage(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window[kind];
  } catch {
    return null;
  }
}

/** Tells the other tabs who is signed in now (null: nobody). */
export function announceSignedIn(userId: number | null) {
  if (userId !== null) rememberTabUser(userId);
  try {
    // `at` makes every announcement a change, so a tab hears a sign-out followed by the same user signing in.
    storage('localStorage')?.setItem(SIGNED_IN, JSON.stringify({ userId, at: Date.now() }));
  } catch {
    // storage refused: the other tabs find out at their next request (401)
  }
}

export function rememberTabUser(userId: number) {
  try {
    storage('sessionStorage')?.setItem(TAB_USER, String(userId));
  } catch {
    // nothing to do
  }
}

/** Who last used this tab, if anyone did. */
export function lastTabUser(): number | null {
  const v = Number(storage('sessionStorage')?.getItem(TAB_USER));
  return Number.isSafeInteger(v) && v > 0 ? v : null;
}

/** Follows the other tabs: `currentUserId` is who this tab shows the page of (null on the sign-in page). */
export function followOtherTabs(currentUserId: () => number | null): () => void {
  const onStorage = (e: StorageEvent) => {
    if (e.key !== SIGNED_IN || e.storageArea !== storage('localStorage')) return;
    const mine = currentUserId();
    if (mine === null) return;
    let theirs: number | null = null;
    try {
      theirs = (JSON.parse(e.newValue ?? 'null') as { userId: number | null } | null)?.userId ?? null;
    } catch {
      // not ours: treated as signed out
    }
    if (theirs === mine) return;
    stopDraftWrites();
    window.location.replace('/');
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}
