/** How typed text becomes a value: decimals with a point or a comma, dates day first or ISO. */
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/components/forms';
import { parseTypedDate } from '../../src/format';

describe('parseDecimal', () => {
  it.each([
    ['37,5', 37.5],
    ['37.5', 37.5],
    [' 37,5 ', 37.5],
    ['72', 72],
    ['-1,5', -1.5],
    ['70,25', 70.25],
    ['.5', 0.5],
    ['36.', 36],
  ])('reads "%s" as the number %s', (text, value) => {
    expect(parseDecimal(text)).toBe(value);
  });

  it.each([
    ['1,234.5'], // a thousands separator is not a decimal comma: never 1.2345 or 1234.5
    ['1,234'], // three digits after the comma may be thousands: refused, not guessed
    ['3,250'],
    ['37..5'],
    ['37,5,1'],
    ['abc'],
    ['3 7'],
  ])('keeps "%s" as text, for the schema to refuse with a message', (text) => {
    expect(parseDecimal(text)).toBe(text);
  });

  it.each([[''], ['   ']])('reads blank %j as not measured (undefined)', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('parseTypedDate', () => {
  it.each([
    ['21/05/1988', '1988-05-21'],
    ['21.05.1988', '1988-05-21'],
    ['21-05-1988', '1988-05-21'],
    ['1988-05-21', '1988-05-21'],
    ['1/2/2020', '2020-02-01'], // day first: 1 February, not 2 January
    [' 29/02/2020 ', '2020-02-29'],
  ])('reads "%s" as %s', (text, iso) => {
    expect(parseTypedDate(text)).toBe(iso);
  });

  it.each([
    ['31/02/2020'], // no 31 February
    ['29/02/2019'], // not a leap year
    ['2020-13-01'],
    ['00/01/2020'],
    ['21/05/88'], // a two-digit year could be 1988 or 2088
    ['1985'], // a year alone is not a date (and Date read it as 31 Dec 1984 west of Greenwich)
    ['1985-06'],
    ['yesterday'],
    [''],
  ])('refuses "%s" (null)', (text) => {
    expect(parseTypedDate(text)).toBeNull();
  });
});
