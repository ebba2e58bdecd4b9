/**
 * A stacked bar chart in SVG for counts over time (the dashboard's runs per day). Hand-written: it
 * is one small component, and a chart library would weigh more than the rest of the Studio.
 */
export interface BarSeries {
  readonly key: string
  readonly label: string
  readonly tone: 'good' | 'bad' | 'warn' | 'busy' | 'neutral'
}

export function BarChart({
  data,
  series,
  height = 160,
  label,
}: {
  data: readonly { readonly label: string; readonly values: Readonly<Record<string, number>> }[]
  series: readonly BarSeries[]
  height?: number
  label: string
}) {
  const max = Math.max(1, ...data.map((d) => series.reduce((sum, s) => sum + (d.values[s.key] ?? 0), 0)))
  const barWidth = 28
  const gap = 10
  const width = Math.max(200, data.length * (barWidth + gap) + gap)
  const plot = height - 24
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-label={label}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        height={height}
        preserveAspectRatio="xMinYMid meet"
      >
        {data.map((d, i) => {
          let y = plot
          const x = gap + i * (barWidth + gap)
          return (
            <g key={d.label}>
              {series.map((s) => {
                const value = d.values[s.key] ?? 0
                const h = (value / max) * (plot - 8)
                y -= h
                return value === 0 ? null : (
                  <rect key={s.key} x={x} y={y} width={barWidth} height={h} className={`bar ${s.tone}`}>
                    <title>{`${d.label}: ${value} ${s.label}`}</title>
                  </rect>
                )
              })}
              <text x={x + barWidth / 2} y={height - 8} textAnchor="middle" className="axis">
                {d.label}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.key}>
            <i className={`swatch ${s.tone}`} /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
