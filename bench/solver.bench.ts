/**
 * Solver benchmark: `npm run bench`. Prints, for the real OFS 2025-26 data, median and max solve
 * time of the default engine (bb), the javascript-lp-solver engine (lp) and HiGHS on the same
 * integer problem; then generated instances of 100, 300 and 1000 proposals; and memory.
 * A benchmark, not a test: it asserts nothing about time.
 */
import { join } from "node:path"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { poolCost } from "../src/model/cashflow.ts"
import { formatDanish } from "../src/model/format.ts"
import { loadDataSet } from "../src/model/load.ts"
import { compile } from "../src/solver/compile.ts"
import { runEngine } from "../src/solver/lower.ts"
import { Rules, type RulesInput } from "../src/solver/rules.ts"
import { solve } from "../src/solver/solve.ts"
import { randomInstance } from "../tests/support/generate.ts"
import { solveWithHighs } from "../tests/support/highs.ts"

const dir = join(import.meta.dirname, "..", "scenarios", "ofs-2025-26")
const { proposals } = loadDataSet(dir)

// What is applied for: the base variants' pool costs, per area and year, in 2026 p/l.
const FACTOR = { service: 1.028, anlaeg: 1.022 } as const
const applied = { service: new Map<number, number>(), anlaeg: new Map<number, number>() }
for (const p of proposals) {
  const v = p.variants[0]
  if (!v) continue
  for (const area of ["service", "anlaeg"] as const)
    poolCost(v, area).forEach((x, i) => {
      const y = v.years[i] ?? 0
      applied[area].set(y, (applied[area].get(y) ?? 0) + x / FACTOR[area])
    })
}
const total = (area: "service" | "anlaeg") => [...applied[area].values()].reduce((a, b) => a + b, 0)

const cases: { name: string; rules: RulesInput }[] = []
for (const f of [0.3, 0.5, 0.7])
  cases.push({
    name: `pools ${f * 100}%`,
    rules: { limits: { service: Math.round(total("service") * f), anlaeg: Math.round(total("anlaeg") * f) } },
  })
for (const f of [0.3, 0.5, 0.7]) {
  const perYear = [2026, 2027, 2028, 2029, 2030].flatMap((year) =>
    (["service", "anlaeg"] as const).map((area) => ({
      area,
      year,
      max: Math.round((applied[area].get(year) ?? 0) * f),
    })),
  )
  cases.push({
    name: `pools+years ${f * 100}%`,
    rules: {
      limits: { service: Math.round(total("service") * f), anlaeg: Math.round(total("anlaeg") * f), perYear },
    },
  })
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return {
    median: s[Math.floor(s.length / 2)] ?? 0,
    p99: s[Math.floor(s.length * 0.99)] ?? 0,
    max: s[s.length - 1] ?? 0,
  }
}
const time = (f: () => unknown, runs: number, warmup: number) => {
  for (let i = 0; i < warmup; i++) f()
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    f()
    out.push(performance.now() - t)
  }
  return stats(out)
}
const ms = (x: number) => (x < 1 ? x.toFixed(3) : x.toFixed(1)).padStart(8)

console.log("Real data: Bilag 2a, 30 proposals (31 variants); pools in 1.000 kr. 2026 p/l, applied for:")
console.log(
  `  service ${formatDanish(total("service"))}, anlæg ${formatDanish(total("anlaeg"))}; per-year limits = the share of what is applied for in that year\n`,
)
console.log(
  `${"case".padEnd(20)} ${"optimum".padStart(8)} ${"nodes".padStart(6)} | ${"solve() med".padStart(11)} ${"p99".padStart(8)} ${"max".padStart(8)} | ${"bb med".padStart(8)} ${"max".padStart(8)} | ${"lp med".padStart(8)} ${"max".padStart(8)} | ${"HiGHS med".padStart(9)} ${"max".padStart(8)}   (ms)`,
)
let worstMedian = 0
let worstMax = 0
let worstP99 = 0
// Our engine is timed first for every case, before HiGHS's WebAssembly heap and
// javascript-lp-solver's garbage exist in the process, so that their collections do not land in
// our samples; then the other two.
// Warm every case up first, so that no case is timed while the JIT is still compiling.
for (const c of cases) {
  const rules = Rules.parse(c.rules)
  for (let i = 0; i < 300; i++) solve(proposals, rules)
}
const ours = cases.map((c) => {
  const rules = Rules.parse(c.rules)
  const problem = compile(proposals, rules)
  return {
    c,
    rules,
    problem,
    r: runEngine(problem, "bb"),
    full: time(() => solve(proposals, rules), 1000, 200),
    bb: time(() => runEngine(problem, "bb"), 1000, 200),
  }
})
for (const { c, problem, r, full, bb } of ours) {
  const lp = time(() => runEngine(problem, "lp"), 30, 3)
  const hiTimes: number[] = []
  for (let i = 0; i < 33; i++) {
    const h = await solveWithHighs(problem)
    if (h.objective !== r.objective)
      throw new Error(`HiGHS disagrees on ${c.name}: ${h.objective} vs ${r.objective}`)
    if (i >= 3) hiTimes.push(h.millis)
  }
  const hi = stats(hiTimes)
  worstMedian = Math.max(worstMedian, full.median)
  worstMax = Math.max(worstMax, full.max)
  worstP99 = Math.max(worstP99, full.p99)
  console.log(
    `${c.name.padEnd(20)} ${formatDanish(r.objective ?? 0).padStart(8)} ${String(r.nodes).padStart(6)} | ${ms(full.median).padStart(11)} ${ms(full.p99)} ${ms(full.max)} | ${ms(bb.median)} ${ms(bb.max)} | ${ms(lp.median)} ${ms(lp.max)} | ${ms(hi.median).padStart(9)} ${ms(hi.max)}`,
  )
}
console.log(
  `\nDefault engine, whole solve() (compile, search, proof, package figures), 1.000 runs a case: worst median ${worstMedian.toFixed(3)} ms, worst p99 ${worstP99.toFixed(3)} ms, worst max ${worstMax.toFixed(3)} ms`,
)
console.log("  goal: median < 1 ms and max < 5 ms on every case, with optimality proven\n")

console.log(
  "Generated instances (seeded; side rules off; 1-12 limits): time to proven optimum, or the gap after 1 s",
)
console.log(
  `${"proposals".padEnd(10)} ${"seed".padStart(5)} ${"status".padStart(9)} ${"ms".padStart(8)} ${"nodes".padStart(9)} ${"gap".padStart(9)} ${"HiGHS ms".padStart(9)} ${"HiGHS opt".padStart(10)} ${"ours".padStart(10)}`,
)
for (const n of [100, 300, 1000]) {
  for (const seed of [11, 12, 13]) {
    const inst = randomInstance(seed * 1000 + n, n, { sideRules: false })
    const rules = Rules.parse(inst.rules)
    const t = performance.now()
    const r = solve(inst.proposals, rules, { timeLimitMs: 1000 })
    const took = performance.now() - t
    const h = n <= 300 ? await solveWithHighs(compile(inst.proposals, rules)) : null
    const obj = r.status === "optimal" || r.status === "feasible" ? r.objective : null
    const gap = r.status === "optimal" || r.status === "feasible" ? `${(r.gap * 100).toFixed(3)}%` : "-"
    console.log(
      `${String(n).padEnd(10)} ${String(seed).padStart(5)} ${r.status.padStart(9)} ${took.toFixed(1).padStart(8)} ${String(r.stats.nodes).padStart(9)} ${gap.padStart(9)} ${(h ? h.millis.toFixed(1) : "-").padStart(9)} ${String(h?.objective ?? "-").padStart(10)} ${String(obj ?? "-").padStart(10)}`,
    )
  }
}

// A real collection before each reading, so the heap figures are live objects, not garbage.
setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void
gc()
const mem = process.memoryUsage()
console.log(
  `\nMemory after the run (after a full GC): rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
)
{
  const rules = Rules.parse(cases[3]?.rules ?? {})
  gc()
  const before = process.memoryUsage().heapUsed
  let keep = 0
  for (let i = 0; i < 1000; i++) keep += solve(proposals, rules).stats.nodes
  gc()
  const after = process.memoryUsage().heapUsed
  console.log(
    `Live heap growth over 1.000 real-data solves (GC before and after): ${((after - before) / 2 ** 10).toFixed(0)} KiB (nodes ${keep})`,
  )
}
