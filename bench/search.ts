/**
 * Sections 2 and 3 of the solver bench, the search on large instances side by side with HiGHS:
 * generated budget-like knapsacks and the OR-Library set mknapcb1. Run by `npm run bench` and,
 * alone with flags, by `npm run bench:search` (bench/search.bench.ts).
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { compile } from "../src/solver/compile.ts"
import type { Knapsack, KnapsackOptions, KnapsackResult } from "../src/solver/engine/problem.ts"
import { solveKnapsack } from "../src/solver/engine/search.ts"
import { lower } from "../src/solver/lower.ts"
import { Rules } from "../src/solver/rules.ts"
import { budgetKnapsack, randomInstance } from "../tests/support/generate.ts"
import { knapsackLpText, type LimitedResult, solveLpTextWithHighs } from "../tests/support/highs.ts"

type Engine = (p: Knapsack, o: KnapsackOptions) => KnapsackResult

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? 0
const ms = (x: number, w = 8) => (x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(1) : x.toFixed(0)).padStart(w)
const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(3)}%`)

/** HiGHS's relative gap from its own package and dual bound (null without a package). */
const highsGap = (h: LimitedResult) =>
  h.objective === null ? null : Math.max(0, (h.bound - h.objective) / Math.max(1, Math.abs(h.bound)))

/** One generated instance of a class: seeds 1, 2, … give the bench's instances. */
export const generatedInstance = (n: number, limits: 2 | 10, seed: number): Knapsack =>
  budgetKnapsack(seed * 7919 + n + limits, n, limits)

export interface GeneratedOptions {
  readonly classes: readonly (readonly [number, 2 | 10])[]
  readonly seeds: number
  /** Time limit of both solvers, seconds. */
  readonly limitS: number
  /** Also the test suite's seed 82 (10 s limits). */
  readonly seed82: boolean
  /** Also one line per instance: both solvers' status, objective, bound and time. */
  readonly verbose?: boolean
  readonly engine?: Engine
}

/** Section 2: per class, proven counts, median times and gaps, and how often the engine's package is at least HiGHS's. */
export const generated = async (o: GeneratedOptions): Promise<void> => {
  const engine = o.engine ?? solveKnapsack
  console.log(
    `2. Generated budget-like knapsacks, ${o.seeds} seeds per class, ${o.limitS} s limit for both (HiGHS: its own package and dual bound)`,
  )
  console.log(
    `${"class".padEnd(10)} | ${"proven".padStart(6)} ${"HiGHS".padStart(6)} | ${"med ms".padStart(7)} ${"HiGHS".padStart(7)} | ${"med gap".padStart(9)} ${"max gap".padStart(9)} ${"HiGHS med".padStart(9)} ${"HiGHS max".padStart(9)} | ${"pkg ≥ HiGHS".padStart(11)} ${"gap ≤ HiGHS".padStart(11)} ${"goal".padStart(5)} ${"miss".padStart(4)} ${"stall".padStart(5)}`,
  )
  for (const [n, L] of o.classes) {
    const rows: { r: KnapsackResult; h: LimitedResult }[] = []
    for (let s = 1; s <= o.seeds; s++) {
      const p = generatedInstance(n, L, s)
      // The engine's time is the whole call's (its own millis stop just before the answer is built).
      const t0 = performance.now()
      const r = { ...engine(p, { timeLimitMs: o.limitS * 1000 }), millis: 0 }
      r.millis = performance.now() - t0
      const h = await solveLpTextWithHighs(knapsackLpText(p), o.limitS)
      if (r.status === "optimal" && h.status === "optimal" && r.objective !== h.objective)
        throw new Error(`HiGHS disagrees on ${n}×${L} seed ${s}`)
      if (r.status === "optimal" && h.objective !== null && h.objective > (r.objective ?? 0))
        throw new Error(`HiGHS found a better package than the engine's optimum on ${n}×${L} seed ${s}`)
      rows.push({ r, h })
      if (o.verbose)
        console.log(
          `   ${n}×${L} seed ${s}: engine ${r.status} ${r.objective} ≤ ${r.bound.toFixed(1)} in ${ms(r.millis, 0)} ms, HiGHS ${h.status} ${h.objective} ≤ ${h.bound.toFixed(1)} in ${ms(h.millis, 0)} ms`,
        )
    }
    const gaps = rows.map(({ r }) => r.gap ?? 1)
    const hGaps = rows.map(({ h }) => highsGap(h) ?? 1)
    const atLeast = rows.filter(
      ({ r, h }) => (r.objective ?? Number.NEGATIVE_INFINITY) >= (h.objective ?? Number.NEGATIVE_INFINITY),
    ).length
    // Gaps in objective units, each bound rounded down to the integer it proves (values are whole numbers).
    const gapOf = (objective: number | null, bound: number) =>
      objective === null || !Number.isFinite(bound)
        ? Number.POSITIVE_INFINITY
        : Math.floor(bound + 1e-6) - objective
    const noWider = ({ r, h }: (typeof rows)[number]) =>
      r.status === "optimal" || gapOf(r.objective, r.bound) <= gapOf(h.objective, h.bound)
    const gapAtMost = rows.filter(noWider).length
    // The issue's goal per instance: proven where HiGHS proves in the limit, else a package at
    // least HiGHS's and a gap no wider.
    const goal = rows.filter((x) =>
      x.h.status === "optimal"
        ? x.r.status === "optimal"
        : (x.r.objective ?? Number.NEGATIVE_INFINITY) >= (x.h.objective ?? Number.NEGATIVE_INFINITY) &&
          noWider(x),
    ).length
    const miss = rows.filter(({ r, h }) => h.status === "optimal" && r.status !== "optimal").length
    const stall = rows.filter(
      ({ r, h }) => h.status === "optimal" && h.millis < 200 && r.status !== "optimal",
    ).length
    const proven = (xs: { status: string }[]) =>
      `${xs.filter((x) => x.status === "optimal").length}/${o.seeds}`
    console.log(
      `${`${n}×${L}`.padEnd(10)} | ${proven(rows.map((x) => x.r)).padStart(6)} ${proven(rows.map((x) => x.h)).padStart(6)} | ${ms(median(rows.map((x) => x.r.millis)), 7)} ${ms(median(rows.map((x) => x.h.millis)), 7)} | ${pct(median(gaps)).padStart(9)} ${pct(Math.max(...gaps)).padStart(9)} ${pct(median(hGaps)).padStart(9)} ${pct(Math.max(...hGaps)).padStart(9)} | ${`${atLeast}/${o.seeds}`.padStart(11)} ${`${gapAtMost}/${o.seeds}`.padStart(11)} ${`${goal}/${o.seeds}`.padStart(5)} ${String(miss).padStart(4)} ${String(stall).padStart(5)}`,
    )
  }
  if (o.seed82) {
    const inst = randomInstance(82, 5 + ((82 * 37) % 76))
    const k = lower(compile(inst.proposals, Rules.parse(inst.rules))).knapsack
    const r = engine(k, { timeLimitMs: 10_000 })
    const h = await solveLpTextWithHighs(knapsackLpText(k), 10)
    console.log(
      `   test seed 82 (75 proposals): engine ${r.status} in ${ms(r.millis, 0)} ms, HiGHS ${h.status} in ${ms(h.millis, 0)} ms`,
    )
  }
  console.log(
    "   gap = bound (rounded down) - package, in objective units; goal = proven where HiGHS proves in the limit, else a package ≥ HiGHS's and a gap ≤ HiGHS's\n   miss = instances HiGHS proves in the limit and the engine does not; stall = those HiGHS proves in < 0,2 s\n",
  )
}

/** The instances of an OR-Library mknapcb file as knapsacks (one option per group). */
export const readMknap = (text: string): Knapsack[] => {
  const nums = text.trim().split(/\s+/).map(Number)
  let at = 0
  const next = () => nums[at++] ?? 0
  const count = next()
  return Array.from({ length: count }, () => {
    const n = next()
    const mRows = next()
    next() // the optimum, 0 when unknown
    const values = Array.from({ length: n }, next)
    const rows = Array.from({ length: mRows }, () => ({ coefs: Array.from({ length: n }, next), max: 0 }))
    for (const r of rows) r.max = next()
    return { groups: n, groupOf: values.map((_, k) => k), values, rows }
  })
}

export interface OrLibraryOptions {
  /** The folder with mknapcb1.txt and mkcbres.txt. */
  readonly folder: string
  readonly limitS: number
  readonly highsLimitS: number
  /** Instances from … to (exclusive). */
  readonly from: number
  readonly to: number
  readonly engine?: Engine
}

/** Section 3: mknapcb1, each instance by both, proven counts and median times. */
export const orLibrary = async (o: OrLibraryOptions): Promise<void> => {
  const engine = o.engine ?? solveKnapsack
  if (!existsSync(join(o.folder, "mknapcb1.txt"))) {
    console.log(
      "3. OR-Library mknapcb1: ../shared/benchmarks/mknapcb1.txt not found next to the repository; skipped\n",
    )
    return
  }
  const all = readMknap(readFileSync(join(o.folder, "mknapcb1.txt"), "utf8"))
  const best = [
    ...readFileSync(join(o.folder, "mkcbres.txt"), "utf8").matchAll(/5\.100-(\d\d)\s+(\d+)/g),
  ].map((m) => Number(m[2]))
  const to = Math.min(o.to, all.length)
  console.log(
    `3. OR-Library mknapcb1 (instances ${o.from}-${to - 1} of ${all.length}, 100 items × 5 constraints), limits: engine ${o.limitS} s, HiGHS ${o.highsLimitS} s`,
  )
  console.log(
    `${"#".padStart(3)} ${"best known".padStart(10)} | ${"engine".padStart(8)} ${"status".padStart(8)} ${"ms".padStart(7)} ${"gap".padStart(8)} | ${"HiGHS".padStart(8)} ${"status".padStart(8)} ${"ms".padStart(7)}`,
  )
  const ours: number[] = []
  const theirs: number[] = []
  let proven = 0
  let hProven = 0
  for (let i = o.from; i < to; i++) {
    const p = all[i] as Knapsack
    const r = engine(p, { timeLimitMs: o.limitS * 1000 })
    const h = await solveLpTextWithHighs(knapsackLpText(p), o.highsLimitS)
    if (r.status === "optimal") proven++
    if (h.status === "optimal") hProven++
    if (r.status === "optimal" && h.status === "optimal" && r.objective !== h.objective)
      throw new Error(`mknapcb1 #${i}: disagree`)
    if (r.status === "optimal" && best[i] !== undefined && r.objective !== best[i])
      throw new Error(`mknapcb1 #${i}: the engine's optimum ${r.objective} is not the best known ${best[i]}`)
    ours.push(r.millis)
    theirs.push(h.millis)
    console.log(
      `${String(i).padStart(3)} ${String(best[i] ?? "-").padStart(10)} | ${String(r.objective).padStart(8)} ${r.status.padStart(8)} ${ms(r.millis, 7)} ${pct(r.gap).padStart(8)} | ${String(h.objective).padStart(8)} ${h.status.padStart(8)} ${ms(h.millis, 7)}`,
    )
  }
  const n = to - o.from
  console.log(
    `   proven: engine ${proven}/${n}, HiGHS ${hProven}/${n}; median ms: engine ${ms(median(ours), 0)}, HiGHS ${ms(median(theirs), 0)}\n`,
  )
}
