/**
 * Browser APIs that Mantine uses and jsdom does not have. These stand in for the browser, not for the app: nothing
 * here knows about the server, the data or a component.
 */
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// `waitFor` and `findBy…` give up after 1 s by default: on a loaded CI machine (load 10 on 2 cores) a form's submit and
// its answer took longer, and tests failed that pass alone. A wrong value still fails, only later.
configure({ asyncUtilTimeout: 5000 });

if (typeof window !== 'undefined') {
  // Mantine's colour scheme and responsive props ask the media queries; nothing matches in a test "screen".
  window.matchMedia ??= (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  });

  // Autosize textareas, scroll areas and floating dropdowns watch their size.
  globalThis.ResizeObserver ??= class ResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  };

  // Autosize textareas measure again when web fonts finish loading.
  if (!('fonts' in document)) {
    Object.defineProperty(document, 'fonts', { value: Object.assign(new EventTarget(), { ready: Promise.resolve() }) });
  }

  // The router restores the scroll position on navigation; jsdom has no layout to scroll.
  window.scrollTo = () => {};

  // Comboboxes scroll the highlighted option into view.
  Element.prototype.scrollIntoView ??= function scrollIntoView() {};

  // Testing Library unmounts after each test only by itself when vitest's globals are on; they are not.
  afterEach(() => cleanup());
}
