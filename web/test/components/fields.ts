/** Reading a form as a screen reader would: the message an input is described by, and whether it is marked invalid. */
import { screen } from '@testing-library/react';

/** The input labelled `label` (the required asterisk is not part of the name). */
export function field(label: string | RegExp): HTMLInputElement {
  const name = typeof label === 'string' ? new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : label;
  return screen.getByLabelText(name, { selector: 'input, textarea' });
}

/** The error message beside an input: the part of its description that is an error, or null. */
export function errorOf(input: HTMLElement): string | null {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const messages = ids.filter((id) => id.endsWith('-error')).map((id) => document.getElementById(id)?.textContent ?? '');
  return messages.length ? messages.join(' ') : null;
}

/** The whole description of an input (hint, warning or error), as a screen reader reads it after the label. */
export function descriptionOf(input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}
