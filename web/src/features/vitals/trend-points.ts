/** The readings behind a trend chart: which are abnormal, which are drawn, and what a reader is told about them. */
import { VITAL_LIMITS, type VitalField } from '@hmis/shared';
import { VITAL_LABEL } from './labels';

/** One reading: its time (ms since 1970) and its values (null where the set lacks one). */
export interface Point {
  t: number;
  [field: string]: number | null;
}

export function outside(field: VitalField, value: number | null | undefined): boolean {
  const normal = VITAL_LIMITS[field].normal;
  return value != null && normal != null && (value < normal[0] || value > normal[1]);
}

/**
 * Points drawn at most per chart: more than one per pixel of a chart's width is not seen, only paid for. A chart is
 * ~700 px wide on a desktop; the canvas would draw 5,000 in a few ms more, but they would add nothing to see.
 */
export const DRAWN_POINTS = 600;

/**
 * The readings a chart draws: all of them up to DRAWN_POINTS; beyond, per slice of time the lowest and highest value
 * of each line (so a spike is never smoothed away), the slice's first and last, and every abnormal reading (each is a
 * red dot). The figures above the chart count every reading.
 */
export function drawnPoints(points: Point[], fields: VitalField[], max = DRAWN_POINTS): Point[] {
  if (points.length <= max) return points;
  const slices = Math.max(1, Math.floor(max / (2 + 2 * fields.length)));
  const size = points.length / slices;
  const keep = new Set<number>();
  for (let s = 0; s < slices; s++) {
    const from = Math.floor(s * size);
    const to = Math.min(points.length, Math.floor((s + 1) * size));
    if (from >= to) continue;
    keep.add(from).add(to - 1);
    for (const f of fields) {
      let lo = -1;
      let hi = -1;
      for (let i = from; i < to; i++) {
        const v = points[i]![f];
        if (v == null) continue;
        if (lo < 0 || v < points[lo]![f]!) lo = i;
        if (hi < 0 || v > points[hi]![f]!) hi = i;
        if (outside(f, v)) keep.add(i);
      }
      if (lo >= 0) keep.add(lo).add(hi);
    }
  }
  return [...keep].sort((a, b) => a - b).map((i) => points[i]!);
}

const date = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const round = (v: number) => String(Math.round(v * 10) / 10);

/** The figures above a chart: "58 readings · 3 abnormal · latest 120/80". */
export function trendFigures(points: Point[], fields: VitalField[]): string {
  if (points.length === 0) return 'no readings in this period';
  const abnormal = points.filter((p) => fields.some((f) => outside(f, p[f]))).length;
  const latest = points[points.length - 1]!;
  return `${points.length} readings · ${abnormal} abnormal · latest ${fields.map((f) => latest[f] ?? '–').join('/')}`;
}

/**
 * What the chart shows, in words, for a reader who cannot see the canvas: the period, the count, how many are
 * abnormal against which range, the lowest, highest and latest of each line. The vitals table has every reading.
 */
export function trendSummary(title: string, points: Point[], fields: VitalField[]): string {
  const unit = VITAL_LIMITS[fields[0]!].unit;
  if (points.length === 0) return `${title}: no readings in this period.`;
  const first = date.format(points[0]!.t);
  const last = date.format(points[points.length - 1]!.t);
  const span = first === last ? `on ${first}` : `from ${first} to ${last}`;
  const abnormal = points.filter((p) => fields.some((f) => outside(f, p[f]))).length;
  const lines = fields.map((f) => {
    const values = points.map((p) => p[f]).filter((v): v is number => v != null);
    const name = fields.length > 1 ? `${VITAL_LABEL[f]}: ` : '';
    const normal = VITAL_LIMITS[f].normal;
    const range = normal ? `, normal ${normal[0]}–${normal[1]}` : '';
    if (values.length === 0) return `${name}no values`;
    let lo = values[0]!;
    let hi = lo;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return `${name}lowest ${round(lo)}, highest ${round(hi)}, latest ${round(values[values.length - 1]!)}${range}`;
  });
  return `${title} (${unit}), ${points.length} readings ${span}, ${abnormal} outside the normal range. ${lines.join('; ')}.`;
}
