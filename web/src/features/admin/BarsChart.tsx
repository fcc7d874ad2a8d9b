/** A labelled horizontal bar chart (Recharts), loaded only with the page that shows it. */
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export default function BarsChart({ data, label }: { data: { name: string; value: number }[]; label: string }) {
  return (
    <figure style={{ margin: 0 }} aria-label={label}>
      <ResponsiveContainer width="100%" height={36 * data.length + 30}>
        <BarChart data={data} layout="vertical" margin={{ top: 0, right: 48, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" fontSize={11} allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={130} fontSize={12} />
          <Tooltip />
          <Bar dataKey="value" name="Count" fill="#1864ab" isAnimationActive={false}>
            <LabelList dataKey="value" position="right" fontSize={12} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <figcaption style={{ position: 'absolute', left: -10000 }}>
        {label}: {data.map((d) => `${d.name} ${d.value}`).join(', ')}
      </figcaption>
    </figure>
  );
}
