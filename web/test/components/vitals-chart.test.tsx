// @vitest-environment jsdom
/**
 * The trend charts without a canvas (jsdom draws nothing): each chart still says in words what it would show, the
 * figures above it count every reading, nothing is marked as drawn, and no request is sent for cached readings. The
 * time axis' labels are checked here too; the drawing itself is seen in the e2e screenshots.
 */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { VitalPoint } from '@hmis/shared';
import { timeTicks } from '../../src/features/vitals/TrendChart';
import VitalsChart from '../../src/features/vitals/VitalsChart';
import { DEFAULT_PERIOD, periodStart } from '../../src/features/vitals/periods';
import { queryClient, trpc } from '../../src/trpc';
import { renderUi, watchNetwork } from './render';

const PATIENT = 7;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Seven sets twelve hours apart, the last an hour ago: a fever in the middle, no weight taken. */
function readings(): VitalPoint[] {
  const temps = [36.8, 37.2, 38.9, 39.4, 38.1, 37.4, 36.9];
  return temps.map((temperature, i) => ({
    at: new Date(Date.now() - HOUR - (temps.length - 1 - i) * 12 * HOUR).toISOString(),
    temperature,
    pulseRate: 80 + i * 6,
    respiratoryRate: null,
    systolicBp: 120 + i * 5,
    diastolicBp: 78,
    spo2: 97 - i,
    heightCm: null,
    weightKg: null,
  }));
}

function renderCharts(items: VitalPoint[]) {
  const network = watchNetwork();
  queryClient.setQueryData(trpc.vitals.series.queryKey({ patientId: PATIENT, from: periodStart(DEFAULT_PERIOD) }), {
    items,
    truncated: false,
  });
  renderUi(<VitalsChart patientId={PATIENT} />);
  return network;
}

describe('the vital-sign trend charts', () => {
  it('give each chart a text alternative with its readings, the abnormal count, the range and the lowest, highest and latest', () => {
    const network = renderCharts(readings());
    const temperature = screen.getByRole('img', { name: /^Temperature \(°C\), 7 readings from/ });
    expect(temperature.getAttribute('aria-label')).toMatch(
      /3 outside the normal range\. lowest 36\.8, highest 39\.4, latest 36\.9, normal 36\.1–37\.8\.$/,
    );
    const bp = screen.getByRole('img', { name: /^Blood pressure/ }).getAttribute('aria-label');
    expect(bp).toContain('Systolic BP: lowest 120, highest 150, latest 150, normal 90–139');
    expect(bp).toContain('Diastolic BP: lowest 78, highest 78, latest 78, normal 60–89');
    expect(network).not.toHaveBeenCalled();
  });

  it('count every reading above each chart, and say so where a sign was not taken in the period', () => {
    renderCharts(readings());
    expect(screen.getByRole('figure', { name: 'Temperature trend' }).textContent).toContain('7 readings · 3 abnormal · latest 36.9');
    expect(screen.getByRole('figure', { name: 'Blood pressure (systolic / diastolic) trend' }).textContent).toContain('latest 150/78');
    const weight = screen.getByRole('figure', { name: 'Weight trend' });
    expect(weight.textContent).toContain('no readings in this period');
    expect(within(weight).queryByRole('img')).toBeNull();
  });

  it('are not marked drawn where the browser cannot draw on a canvas', () => {
    renderCharts(readings());
    for (const figure of screen.getAllByRole('figure')) expect(figure.dataset.drawn).toBeUndefined();
    expect(document.querySelector('canvas')).toBeNull();
  });

  it('say when the period has no readings at all', () => {
    renderCharts([]);
    expect(screen.getByText('No vital signs in this period.')).toBeTruthy();
    expect(screen.queryAllByRole('figure')).toHaveLength(0);
  });
});

describe('the time axis', () => {
  const at = (d: number, h = 0) => new Date(2026, 10, d, h).getTime();
  // In the browser's language, as the chart writes them.
  const day = (t: number) => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(t);
  const hour = (t: number) => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);

  it('labels days by day and month', () => {
    expect(timeTicks([at(2), at(3)], DAY)).toEqual([day(at(2)), day(at(3))]);
  });

  it('labels hours within days: midnight as its day, the first tick with its day', () => {
    expect(timeTicks([at(2, 18), at(2, 21), at(3, 0), at(3, 3)], 3 * HOUR)).toEqual([
      `${day(at(2))} ${hour(at(2, 18))}`,
      hour(at(2, 21)),
      day(at(3)),
      hour(at(3, 3)),
    ]);
  });

  it('labels long periods by month and year', () => {
    expect(timeTicks([at(1)], 30 * DAY)).toEqual([new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' }).format(at(1))]);
  });
});
