/** What the address bar may hold (web/src/app/search-params.ts): wrong values are dropped, never passed to a page. */
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '@hmis/shared';
import { idParam, isoDate, oneOf, present, text, wholeNumber } from '../../src/app/search-params';

describe('search parameters', () => {
  it('keep a search text up to 100 characters, drop a longer one or a non-string', () => {
    expect(text('okafor')).toBe('okafor');
    expect(text('x'.repeat(100))).toHaveLength(100);
    expect(text('x'.repeat(101))).toBeUndefined();
    expect(text(42)).toBeUndefined();
    expect(text(['a'])).toBeUndefined();
  });

  it('keep only a listed value', () => {
    expect(oneOf('view', AUDIT_ACTIONS)).toBe('view');
    expect(oneOf('drop', AUDIT_ACTIONS)).toBeUndefined();
    expect(oneOf(undefined, AUDIT_ACTIONS)).toBeUndefined();
  });

  it('keep a whole number within its bounds, given as a number or digits', () => {
    expect(wholeNumber('30', 1, 3650)).toBe(30);
    expect(wholeNumber(30, 1, 3650)).toBe(30);
    for (const bad of ['0', '3651', '1.5', '-3', '1e3', '', ' 7', 1.5, '99999999999999999999'])
      expect(wholeNumber(bad, 1, 3650), String(bad)).toBeUndefined();
  });

  it('keep a YYYY-MM-DD date only', () => {
    expect(isoDate('2026-12-02')).toBe('2026-12-02');
    expect(isoDate('02/12/2026')).toBeUndefined();
  });

  it('turn a wrong record id in the path into 0, which no record has', () => {
    expect(idParam('17')).toBe(17);
    for (const bad of ['0', 'abc', '-1', '1.5', '']) expect(idParam(bad)).toBe(0);
  });

  it('leave absent parameters out, so every parameter is optional in a link', () => {
    expect(present({ q: 'a', filter: undefined, days: 0 })).toEqual({ q: 'a', days: 0 });
  });
});
