import { amount, unitName } from "./format.ts"
import type { Unit } from "./state.ts"

/** A point of the chart: a pool size (1.000 kr., pool p/l) and a yearly saving (1.000 kr., table p/l). */
export interface ChartPoint {
  readonly pool: number
  readonly objective: number
}

interface Props {
  /** The optimum as a step function of the pool, ascending by pool. */
  readonly steps: readonly ChartPoint[]
  /** The right end of the pool axis. */
  readonly to: number
  /** The scenario's own pool and its optimum. */
  readonly scenario: ChartPoint | null
  /** The package being built. */
  readonly current: ChartPoint | null
  readonly unit: Unit
  readonly poolLevel: number
  readonly tableLevel: number
  readonly label: string
}

const W = 420
const H = 220
const M = { left: 44, right: 10, top: 10, bottom: 34 }

/** Round tick spacing (1, 2 or 5 × 10^k) for about `n` ticks up to `max`. */
const ticks = (max: number, n = 5): number[] => {
  if (max <= 0) return [0]
  const raw = max / n
  const p = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? raw
  const out: number[] = []
  for (let t = 0; t <= max + 1e-9; t += step) out.push(t)
  return out
}

/**
 * The frontier as a step chart ("hvad køber en mio. mere"): the best yearly saving against the
 * pool size, with the scenario's pool and the package being built marked. An SVG with its figures
 * also in a table, for a screen reader and for print.
 */
export const StepChart = ({ steps, to, scenario, current, unit, poolLevel, tableLevel, label }: Props) => {
  const maxY = Math.max(1, ...steps.map((s) => s.objective), current?.objective ?? 0) * 1.05
  const maxX = Math.max(to, scenario?.pool ?? 0, current?.pool ?? 0, 1)
  const x = (v: number) => M.left + (v / maxX) * (W - M.left - M.right)
  const y = (v: number) => H - M.bottom - (v / maxY) * (H - M.top - M.bottom)
  const d = steps
    .map((s, i) => {
      const end = x(steps[i + 1]?.pool ?? maxX).toFixed(1)
      return `${i === 0 ? "M" : "L"}${x(s.pool).toFixed(1)},${y(s.objective).toFixed(1)}H${end}`
    })
    .join("")
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {ticks(maxY).map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} class="grid" />
            <text x={M.left - 4} y={y(t) + 3} text-anchor="end">
              {amount(t, unit)}
            </text>
          </g>
        ))}
        {ticks(maxX).map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - M.bottom + 14} text-anchor="middle">
            {amount(t, unit)}
          </text>
        ))}
        <text x={(M.left + W - M.right) / 2} y={H - 4} text-anchor="middle" class="axis">
          pulje ({unitName(unit)}, {poolLevel} p/l)
        </text>
        <path d={d} class="frontier" />
        {scenario && (
          <g class="scenario-point">
            <line x1={x(scenario.pool)} x2={x(scenario.pool)} y1={M.top} y2={H - M.bottom} />
            <circle cx={x(scenario.pool)} cy={y(scenario.objective)} r={4} />
          </g>
        )}
        {current && (
          <rect
            class="current-point"
            x={x(current.pool) - 4}
            y={y(current.objective) - 4}
            width={8}
            height={8}
          />
        )}
      </svg>
      <figcaption>
        Bedste årlige besparelse ({unitName(unit)}, {tableLevel} p/l) for hver puljestørrelse.{" "}
        <span class="key-scenario">●</span> scenariets pulje, <span class="key-current">■</span> pakken.
      </figcaption>
    </figure>
  )
}
