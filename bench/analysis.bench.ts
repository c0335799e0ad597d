/**
 * The analyses on the default scenario: `npm run bench:analysis`. Prints what a negotiator would
 * ask first (the service frontier from 80 to 120 mio. kr., the cheapest proposals to force in,
 * the price of the payback rule, the three best packages, the robustness summary) with the wall
 * time and the CPU time of this process for each (on a shared machine the CPU time is the fairer
 * figure). Each operation runs once to warm up, then `RUNS` times; the median is printed.
 * A benchmark, not a test: it asserts nothing about time.
 */
import { join } from "node:path"
import { loadRound } from "../src/app/round.ts"
import { formatDanish } from "../src/model/format.ts"
import { alternatives, explain, frontier, loadUncertainty, robustness } from "../src/solver/analysis/index.ts"

const dir = join(import.meta.dirname, "..", "scenarios", "ofs-2025-26")
const round = loadRound(dir)
const { proposals, config: prices } = round
const scenario = round.scenarios.find((s) => s.id === "ofs-2025-26")
if (!scenario) throw new Error("no default scenario")
const rules = scenario.rules
const model = loadUncertainty(join(dir, "uncertainty.json"))
const RUNS = Number(process.env.RUNS ?? 5)
const kr = (x: number) => formatDanish(x)

const timed = <T>(label: string, f: () => T, runs = RUNS): T => {
  f()
  const wall: number[] = []
  const cpu: number[] = []
  let out: T | undefined
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    out = f()
    wall.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
  console.log(
    `\n## ${label}: ${formatDanish(med(wall), 1)} ms wall, ${formatDanish(med(cpu), 1)} ms CPU (median of ${runs})`,
  )
  return out as T
}

const names = (cs: readonly { proposal: string; variant: string }[]) =>
  cs.map((c) => (c.variant === "base" ? c.proposal : `${c.proposal}:${c.variant}`)).join(" ") || "-"

const full = timed("Service frontier, 0 to everything applied for", () =>
  frontier(proposals, rules, { pool: "service" }, prices),
)
console.log(`${full.steps.length} steps, ${full.stats.solves} re-solves`)

const fr = timed("Service frontier 80.000-120.000 (1.000 kr., 2026 p/l)", () =>
  frontier(proposals, rules, { pool: "service", from: 80000, to: 120000 }, prices),
)
console.log(`${fr.steps.length} steps; pool from (2026 p/l) → yearly saving (2027 p/l), gain, in / out`)
for (const s of fr.steps)
  console.log(
    `${kr(s.pool).padStart(8)}  ${kr(s.objective).padStart(7)}  +${kr(s.gain).padEnd(6)} ${names(s.entered)} / ${names(s.left)}`,
  )
for (const m of fr.marginal?.next ?? [])
  console.log(
    `+${kr(m.extra)} from ${kr(fr.marginal?.pool ?? 0)}: +${kr(m.gain)} (in ${names(m.entered)}, out ${names(m.left)})`,
  )

const ex = timed("Explain all 30 proposals and BC10's variant, rule prices, limits", () =>
  explain(proposals, rules, {}, prices),
)
console.log(`${ex.stats.solves} re-solves`)
const cheapest = ex.options
  .filter((o) => o.status === "notChosen" && o.priceIn !== null && o.priceIn !== undefined)
  .sort((a, b) => (a.priceIn ?? 0) - (b.priceIn ?? 0))
  .slice(0, 5)
console.log("Five cheapest to force in (1.000 kr. 2027 p/l a year):")
for (const o of cheapest)
  console.log(`  ${o.proposal}: ${kr(o.priceIn ?? 0)} (out: ${names(o.withIt?.left ?? [])})`)
for (const r of ex.rulePrices) console.log(`  rule ${r.rule}: price ${r.price === null ? "-" : kr(r.price)}`)

const alt = timed("Alternatives: 3 best, diverse, core index (2 %)", () =>
  alternatives(proposals, rules, { k: 3 }, prices),
)
for (const b of alt.best)
  console.log(
    `  ${b.rank}. ${kr(b.package.objective)} (−${kr(b.behind)}): in ${names(b.entered)}, out ${names(b.left)}`,
  )
console.log(
  `  core index: ${alt.core.packages} packages within ${alt.core.share * 100} %, complete ${alt.core.complete}`,
)

const rob = timed(
  "Robustness: 10.000 draws, a re-solve each",
  () => robustness(proposals, rules, model, {}, prices),
  3,
)
console.log(rob.summary)
console.log(
  `  stats: ${rob.stats.solves} re-solves, drawing ${formatDanish(rob.stats.drawMillis, 1)} ms, re-solving ${formatDanish(rob.stats.solveMillis, 1)} ms, total ${formatDanish(rob.stats.millis, 1)} ms`,
)
