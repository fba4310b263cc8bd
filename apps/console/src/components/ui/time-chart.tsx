"use client";

export interface Series {
  label: string;
  values: (number | null)[];
  kind: "line" | "bar";
  className?: string;
}

const W = 560;
const H = 180;
const pad = { l: 44, r: 8, t: 10, b: 22 };

/**
 * A small inline SVG chart over days: bars and/or lines on one scale from zero. The
 * figure's text alternative is a table of the same numbers, for screen readers.
 */
export function TimeChart({ title, days, series, format }: { title: string; days: string[]; series: Series[]; format: (n: number) => string }) {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  // All zeros (a quiet range) still gets a readable 0 / 0.5 / 1 scale.
  const max = Math.max(0, ...all) || 1;
  const innerW = W - pad.l - pad.r;
  const innerH = H - pad.t - pad.b;
  const step = days.length > 0 ? innerW / days.length : innerW;
  const x = (i: number) => pad.l + step * i + step / 2;
  const y = (v: number) => pad.t + innerH - (v / max) * innerH;
  const ticks = [0, 0.5, 1].map((f) => f * max);
  const labelEvery = Math.max(1, Math.ceil(days.length / 7));
  const bars = series.filter((s) => s.kind === "bar");

  return (
    <figure className="chart card chart-card" style={{ margin: 0 }}>
      <h3>{title}</h3>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${series.map((s) => `${s.label} peak ${format(Math.max(0, ...s.values.map((v) => v ?? 0)))}`).join(", ")}`}>
        {ticks.map((t) => (
          <g key={t}>
            <line className="grid-line" x1={pad.l} x2={W - pad.r} y1={y(t)} y2={y(t)} />
            <text className="axis" x={pad.l - 4} y={y(t) + 3} textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {bars.map((s, si) =>
          s.values.map((v, i) =>
            v === null || v === 0 ? null : (
              <rect key={`${s.label}-${i}`} className={s.className ?? "bar"} x={pad.l + step * i + (step * 0.15) + (si * step * 0.7) / bars.length} width={(step * 0.7) / bars.length} y={y(v)} height={pad.t + innerH - y(v)} />
            ),
          ),
        )}
        {series
          .filter((s) => s.kind === "line")
          .map((s) => {
            const pts = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`)).filter(Boolean);
            return pts.length ? <polyline key={s.label} className={s.className ?? "series"} points={pts.join(" ")} /> : null;
          })}
        {days.map((d, i) =>
          i % labelEvery === 0 ? (
            <text key={d} className="axis" x={x(i)} y={H - 6} textAnchor="middle">
              {d.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.label}>
            {s.kind === "bar" ? "▮" : "—"} {s.label}
          </span>
        ))}
      </figcaption>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {series.map((s) => (
              <th key={s.label} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr key={d}>
              <th scope="row">{d}</th>
              {series.map((s) => (
                <td key={s.label}>{s.values[i] === null ? "—" : format(s.values[i] ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
