/**
 * Audit-path benchmark: the rows of distinct what-if solves of ofs-2025-26, made as the service
 * makes them (`auditRowOf`) and appended to a real store file with the writer thread (WAL, full
 * sync), 16 at a time as from 16 connections. Prints CPU µs per row on the event loop (this
 * process's main thread) and on the other threads (the writer thread, and V8's helpers).
 *   npm run bench:audit [-- --rows 20000 --concurrent 16 --rounds 3]
 * The solves are made once, before the measurement, so only the audit path is timed.
 */
import { readFileSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import {
  type AppContext,
  auditRowOf,
  createContext,
  OPEN_CALLER,
  ScenarioSolveInput,
  solveScenario,
} from "../src/app/index.ts"
import type { Task, TaskOutput } from "../src/app/tasks.ts"
import type { AuditInput } from "../src/store/schema.ts"
import { openSqliteStore } from "../src/store/sqlite.ts"
import { randomWhatIf } from "./whatif.ts"

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "20000" },
    concurrent: { type: "string", default: "16" },
    rounds: { type: "string", default: "3" },
    distinct: { type: "string", default: "256" },
  },
})

/** CPU seconds (user + system) of this process's main thread, and of all its threads. */
const cpu = (): { main: number; all: number } => {
  const ticks = (file: string) => {
    const f = readFileSync(file, "utf8").split(") ")[1]?.split(" ") ?? []
    return (Number(f[11]) + Number(f[12])) / 100
  }
  return {
    main: ticks(`/proc/${process.pid}/task/${process.pid}/stat`),
    all: ticks(`/proc/${process.pid}/stat`),
  }
}

// The answered tasks of distinct what-ifs, solved once on this thread.
const base = createContext({ threads: 0 })
const answered: { task: Task; output: TaskOutput }[] = []
const recording: AppContext = {
  ...base,
  pool: {
    ...base.pool,
    async run(task, options) {
      const ran = await base.pool.run(task, options)
      if (ran.result.ok) answered.push({ task: { ...task, confidential: false }, output: ran.result.output })
      return ran
    },
  },
}
for (let i = 0; i < Number(args.distinct); i++)
  await solveScenario(recording, "ofs-2025-26", ScenarioSolveInput.parse(JSON.parse(randomWhatIf())))
await base.pool.close()
const rowOf = (i: number): AuditInput => {
  const a = answered[i % answered.length] as (typeof answered)[number]
  return auditRowOf(a.task, a.output, OPEN_CALLER, base.catalog)
}

const dir = await mkdtemp(join(tmpdir(), "pulje-audit-bench-"))
try {
  const store = openSqliteStore({ file: join(dir, "pulje.sqlite"), auditThread: true })
  const n = Number(args.rows)
  const k = Number(args.concurrent)
  const run = async (rows: number) => {
    for (let i = 0; i < rows; i += k)
      await Promise.all(
        Array.from({ length: Math.min(k, rows - i) }, (_, j) => store.audit.append(rowOf(i + j))),
      )
  }
  await run(Math.min(n, 2000))
  const results: { main: number; other: number; rowsPerS: number }[] = []
  for (let r = 0; r < Number(args.rounds); r++) {
    const c0 = cpu()
    const t0 = performance.now()
    await run(n)
    const t1 = performance.now()
    const c1 = cpu()
    const main = ((c1.main - c0.main) * 1e6) / n
    results.push({ main, other: ((c1.all - c0.all) * 1e6) / n - main, rowsPerS: (n * 1000) / (t1 - t0) })
  }
  const check = await store.audit.verify()
  await store.close()
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
  const row = (label: string, xs: number[], unit: string) =>
    `${label} ${median(xs).toFixed(label.startsWith("rows") ? 0 : 1)} ${unit} (rounds: ${xs.map((x) => x.toFixed(1)).join(", ")})`
  console.log(
    [
      `audit rows of ${answered.length} distinct what-if solves, ${n} rows a round, ${k} at a time, ${results.length} rounds (medians)`,
      row(
        "event loop   ",
        results.map((r) => r.main),
        "µs CPU a row",
      ),
      row(
        "other threads",
        results.map((r) => r.other),
        "µs CPU a row (the writer thread, V8's helpers)",
      ),
      row(
        "rows/s       ",
        results.map((r) => r.rowsPerS),
        "",
      ),
      `chain        ${check.ok ? "holds" : "BROKEN"} over ${check.rows} rows`,
    ].join("\n"),
  )
  if (!check.ok) process.exitCode = 1
} finally {
  await rm(dir, { recursive: true, force: true })
}
