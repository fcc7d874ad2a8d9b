/**
 * Imported before uPlot, for it: uPlot 1.6.32 creates `new Intl.NumberFormat(navigator.language)` as its module loads,
 * and a Linux browser in a POSIX locale reports "en-US@posix", which is not a language tag: the constructor throws and
 * the charts' code fails to load (uPlot issue #1053; fixed upstream after 1.6.32, decision 028). Where the browser's
 * language is not a valid tag, the page reads it without its "@…" modifier (or as "en-US" if that is still invalid).
 */
function validTag(tag: string): boolean {
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

if (typeof navigator !== 'undefined' && !validTag(navigator.language)) {
  const stripped = navigator.language.replace(/@.*$/, '');
  const language = validTag(stripped) ? stripped : 'en-US';
  Object.defineProperty(navigator, 'language', { configurable: true, get: () => language });
}
