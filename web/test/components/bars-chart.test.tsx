// @vitest-environment jsdom
/** The facility statistics' bar chart, plain HTML: names and values are text, the bars only their picture. */
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import BarsChart from '../../src/features/admin/BarsChart';
import { renderUi } from './render';

describe('the bar chart of the facility statistics', () => {
  it('reads as names and values, the bars drawn to one scale', () => {
    renderUi(
      <BarsChart
        label="Active staff by role"
        data={[
          { name: 'Doctor', value: 12 },
          { name: 'Nurse', value: 24 },
          { name: 'Pharmacist', value: 0 },
        ]}
      />,
    );
    const figure = screen.getByRole('figure', { name: 'Active staff by role' });
    expect(figure.textContent).toBe('Doctor12Nurse24Pharmacist0');
    const bars = [...figure.querySelectorAll<HTMLElement>('[aria-hidden="true"] > span')].map((b) => b.style.width);
    expect(bars).toEqual(['50%', '100%', '0%']);
  });
});
