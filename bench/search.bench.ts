/**
 * Sections 2 and 3 of the solver bench alone: `npm run bench:search -- [flags]`.
 *   --section 2|3      only that section (default both)
 *   --class 100x10     only these classes of section 2 (repeat or separate by commas)
 *   --seeds 5          seeds per class
 *   --limit 1          time limit in seconds of both solvers in section 2, of the engine in 3
 *   --hlimit 10        HiGHS's limit in section 3 (default: the engine's)
 *   --from 0 --to 30   which mknapcb1 instances
 *   --verbose          section 2 also prints each instance
 * A benchmark, not a test: it asserts nothing about time. Every optimum is cross-checked.
 */
import { join } from "node:path"
import { parseArgs } from "node:util"
import { generated, orLibrary } from "./search.ts"

const { values } = parseArgs({
  options: {
    section: { type: "string" },
    class: { type: "string", multiple: true },
    seeds: { type: "string", default: "5" },
    limit: { type: "string" },
    hlimit: { type: "string" },
    from: { type: "string", default: "0" },
    to: { type: "string", default: "30" },
    verbose: { type: "boolean", default: false },
  },
})
const all = [100, 300, 1000, 3000].flatMap((n) => ([2, 10] as const).map((L) => [n, L] as const))
const wanted = values.class?.flatMap((c) => c.split(",")).map((c) => c.trim().toLowerCase())
const classes = wanted ? all.filter(([n, L]) => wanted.includes(`${n}x${L}`)) : all
if (wanted && classes.length !== wanted.length)
  throw new Error(
    `unknown class among ${wanted.join(", ")}: the classes are ${all.map(([n, L]) => `${n}x${L}`).join(", ")}`,
  )

console.log(`pulje search bench, ${new Date().toISOString()}\n`)
if (values.section !== "3")
  await generated({
    classes,
    seeds: Number(values.seeds),
    limitS: Number(values.limit ?? 1),
    seed82: !wanted,
    verbose: values.verbose,
  })
if (values.section !== "2") {
  const limitS = Number(values.limit ?? 5)
  await orLibrary({
    folder: join(import.meta.dirname, "..", "..", "shared", "benchmarks"),
    limitS,
    highsLimitS: Number(values.hlimit ?? limitS),
    from: Number(values.from),
    to: Number(values.to),
  })
}
