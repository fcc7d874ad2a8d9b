/**
 * One vital sign's trend, drawn on a canvas by uPlot (decision 028): the line(s), the normal adult range shaded,
 * abnormal readings as red points, day labels on the time axis, and a tooltip for the reading under the pointer.
 * A canvas is invisible to screen readers: the chart carries the same facts in words (trendSummary) as its text
 * alternative, and the vitals table beside it has every reading.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { Group, Paper, Text } from '@mantine/core';
import './uplot-locale';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { VITAL_LIMITS, type VitalField } from '@hmis/shared';
import { VITAL_LABEL } from './labels';
import { drawnPoints, outside, trendFigures, trendSummary, type Point } from './trend-points';
import classes from './TrendChart.module.css';

const HEIGHT = 170;
const ABNORMAL = '#c92a2a';
/** The normal range of the first line green, of the second (diastolic) blue, both faint. */
const BANDS = ['rgba(43, 138, 62, 0.1)', 'rgba(25, 113, 194, 0.1)'];
const AXIS = '#495057';
const GRID = '#e9ecef';
/** Both axes: grey labels at AA contrast, faint dashed grid lines. */
const AXIS_STYLE: uPlot.Axis = {
  font: '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  stroke: AXIS,
  grid: { stroke: GRID, width: 1, dash: [3, 3] },
  ticks: { stroke: GRID, width: 1, size: 4 },
};
const DAY = 86_400_000;
/** Up to this many readings every one is dotted; beyond, only the abnormal ones (thousands of dots are a smear). */
const DOT_ALL_UP_TO = 60;

const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const monthLabel = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });
const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * The time axis' labels for uPlot's ticks `incr` ms apart: days ("2 Dec"), months over long periods; within days the
 * hour, a midnight as its day, and the first tick's day beside its hour.
 */
export function timeTicks(ticks: number[], incr: number): string[] {
  if (incr >= 28 * DAY) return ticks.map((t) => monthLabel.format(t));
  if (incr >= DAY) return ticks.map((t) => dayLabel.format(t));
  return ticks.map((t, i) => {
    const d = new Date(t);
    if (d.getHours() === 0 && d.getMinutes() === 0) return dayLabel.format(t);
    return i === 0 ? `${dayLabel.format(t)} ${hourLabel.format(t)}` : hourLabel.format(t);
  });
}

let canvasWorks: boolean | undefined;
/** Whether this browser draws on a canvas: jsdom (the component tests) has the element but no drawing. */
function canDraw(): boolean {
  if (canvasWorks === undefined) {
    try {
      canvasWorks = document.createElement('canvas').getContext('2d') != null;
    } catch {
      canvasWorks = false;
    }
  }
  return canvasWorks;
}

/** The chart's data as uPlot takes it: times, then one column of values per line (null where a reading lacks it). */
function columns(points: Point[], fields: VitalField[]): uPlot.AlignedData {
  return [points.map((p) => p.t), ...fields.map((f) => points.map((p) => p[f] ?? null))];
}

/** The tooltip's text for reading `idx`: its time, then each line's value, "(abnormal)" where outside the range. */
function showTip(tip: HTMLElement, u: uPlot, fields: VitalField[]) {
  const idx = u.cursor.idx;
  const left = u.cursor.left ?? -1;
  if (idx == null || left < 0) {
    tip.hidden = true;
    return;
  }
  const rows: HTMLElement[] = [];
  const time = document.createElement('div');
  time.className = classes.tipTime!;
  time.textContent = dayTime.format(u.data[0][idx]!);
  rows.push(time);
  fields.forEach((f, i) => {
    const v = u.data[i + 1]![idx];
    if (v == null) return;
    const row = document.createElement('div');
    row.textContent = `${VITAL_LABEL[f]}: ${v} ${VITAL_LIMITS[f].unit}`;
    if (outside(f, v)) {
      const flag = document.createElement('strong');
      flag.className = classes.abnormal!;
      flag.textContent = ' (abnormal)';
      row.append(flag);
    }
    rows.push(row);
  });
  tip.replaceChildren(...rows);
  tip.hidden = false;
  // Beside the pointer, on the side with more room.
  const width = u.over.clientWidth;
  if (left > width / 2) {
    tip.style.left = '';
    tip.style.right = `${width - left + 12}px`;
  } else {
    tip.style.right = '';
    tip.style.left = `${left + 12}px`;
  }
}

function options(fields: VitalField[], colors: string[], width: number, figure: HTMLElement, tip: HTMLElement): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    ms: 1,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, y: false },
    scales: {
      x: {
        time: true,
        // One reading: a day around it, centred (uPlot 1.6.32 widens one instant by 86,400 units, which in ms is 86 s).
        range: (u, min, max) => {
          const xs = u.data[0];
          const only = xs.length > 0 && xs[0] === xs[xs.length - 1] ? xs[0] : null;
          return only == null ? [min, max] : [only - DAY / 2, only + DAY / 2];
        },
      },
      y: {
        // The normal ranges are always in view (the shading says where normal is), with a little room around.
        range: (_u, min, max) => {
          let lo = min ?? Number.POSITIVE_INFINITY;
          let hi = max ?? Number.NEGATIVE_INFINITY;
          for (const f of fields) {
            const normal = VITAL_LIMITS[f].normal;
            if (normal) {
              lo = Math.min(lo, normal[0]);
              hi = Math.max(hi, normal[1]);
            }
          }
          if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
          const pad = Math.max((hi - lo) * 0.08, 0.5);
          return [lo - pad, hi + pad];
        },
      },
    },
    axes: [
      // Time below (labels ≥ 70 px apart), values at the left (≥ 28 px apart, uPlot's number format: 97.5, 70.25).
      { ...AXIS_STYLE, size: 28, space: 70, values: (_u, ticks, _axis, _space, incr) => timeTicks(ticks, incr) },
      { ...AXIS_STYLE, size: 44, space: 28 },
    ],
    series: [
      {},
      ...fields.map((f, i) => ({
        label: VITAL_LABEL[f],
        stroke: colors[i],
        width: 1.5,
        spanGaps: true,
        points: { show: (u: uPlot) => u.data[0].length <= DOT_ALL_UP_TO, size: 5, width: 0, fill: colors[i], stroke: colors[i] },
      })),
    ],
    hooks: {
      // Under the grid and the lines: each line's normal range.
      drawClear: [
        (u) => {
          const { ctx, bbox } = u;
          fields.forEach((f, i) => {
            const normal = VITAL_LIMITS[f].normal;
            if (!normal) return;
            const top = u.valToPos(normal[1], 'y', true);
            const bottom = u.valToPos(normal[0], 'y', true);
            ctx.fillStyle = BANDS[i] ?? BANDS[0]!;
            ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
          });
        },
      ],
      // Over the lines: abnormal readings as red dots with a white rim. Then the figure says it is drawn (the browser
      // benchmark waits for that), with how many points and red dots.
      draw: [
        (u) => {
          const { ctx } = u;
          const xs = u.data[0];
          const r = 3.5 * uPlot.pxRatio;
          const dots = new Path2D();
          let abnormal = 0;
          fields.forEach((f, i) => {
            const ys = u.data[i + 1]!;
            for (let j = 0; j < xs.length; j++) {
              const v = ys[j];
              if (!outside(f, v)) continue;
              const x = u.valToPos(xs[j]!, 'x', true);
              const y = u.valToPos(v!, 'y', true);
              dots.moveTo(x + r, y);
              dots.arc(x, y, r, 0, 2 * Math.PI);
              abnormal++;
            }
          });
          ctx.save();
          ctx.fillStyle = ABNORMAL;
          ctx.strokeStyle = '#fff';
          ctx.lineWidth = uPlot.pxRatio;
          ctx.fill(dots);
          ctx.stroke(dots);
          ctx.restore();
          if (xs.length > 0) {
            figure.dataset.drawn = String(xs.length);
            figure.dataset.abnormalDrawn = String(abnormal);
          }
        },
      ],
      setCursor: [(u) => showTip(tip, u, fields)],
    },
  };
}

/** One chart: its caption and figures, and the canvas (with its words for screen readers). */
export function TrendChart({ title, fields, data, colors }: { title: string; fields: VitalField[]; data: Point[]; colors: string[] }) {
  const points = useMemo(() => data.filter((p) => fields.some((f) => p[f] != null)), [data, fields]);
  const aligned = useMemo(() => columns(drawnPoints(points, fields), fields), [points, fields]);
  const figure = useRef<HTMLElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<{ u: uPlot; data: uPlot.AlignedData } | null>(null);
  const summary = useMemo(() => trendSummary(title, points, fields), [title, points, fields]);
  const empty = points.length === 0;

  // The chart is made once (its fields never change) and destroyed with the component; new readings are drawn in it.
  useLayoutEffect(() => {
    const el = box.current;
    const fig = figure.current;
    if (!el || !fig || empty || !canDraw()) return;
    const tip = document.createElement('div');
    tip.className = classes.tip!;
    tip.hidden = true;
    const u = new uPlot(options(fields, colors, el.clientWidth, fig, tip), aligned, el);
    u.over.append(tip);
    plot.current = { u, data: aligned };
    const resize = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (width > 0 && width !== u.width) u.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
      delete fig.dataset.drawn;
      delete fig.dataset.abnormalDrawn;
    };
    // `aligned` is read only when the chart is made; later readings go through setData below.
  }, [fields, colors, empty]);

  // Other readings (a period chosen): the figure is not "drawn" again until the canvas is.
  useLayoutEffect(() => {
    const current = plot.current;
    if (!current || current.data === aligned) return;
    delete figure.current?.dataset.drawn;
    current.data = aligned;
    current.u.setData(aligned);
  }, [aligned]);

  const unit = VITAL_LIMITS[fields[0]!].unit;
  const abnormal = points.some((p) => fields.some((f) => outside(f, p[f])));
  return (
    <Paper withBorder p="xs" component="figure" m={0} miw={0} aria-label={`${title} trend`} ref={figure}>
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={700} component="figcaption">
          {title}{' '}
          <Text span c="dimmed" size="xs">
            ({unit})
          </Text>
        </Text>
        <Text size="xs" c={abnormal ? 'red.9' : 'dimmed'}>
          {trendFigures(points, fields)}
        </Text>
      </Group>
      {/* Without readings the figures above say so ("no readings in this period"); there is nothing to draw. */}
      {!empty && <div ref={box} className={classes.plot} style={{ height: HEIGHT }} role="img" aria-label={summary} />}
    </Paper>
  );
}
