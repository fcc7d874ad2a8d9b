/**
 * A labelled horizontal bar chart in plain HTML: each row is its name, a bar as long as its share of the largest
 * value, and the value itself as text. A screen reader reads the names and values; the bars are only their picture.
 */
import classes from './BarsChart.module.css';

export default function BarsChart({ data, label }: { data: { name: string; value: number }[]; label: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  return (
    <figure className={classes.chart} aria-label={label}>
      {data.map((d) => (
        <div key={d.name} className={classes.row}>
          <span className={classes.name}>{d.name}</span>
          <span className={classes.track} aria-hidden="true">
            <span className={classes.bar} style={{ width: `${(100 * d.value) / max}%` }} />
          </span>
          <span className={classes.value}>{d.value.toLocaleString()}</span>
        </div>
      ))}
    </figure>
  );
}
