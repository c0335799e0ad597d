/**
 * Audit-path benchmark: the rows of distinct what-if solves of ofs-2025-26, made as the service
 * makes them (`auditRowOf`) and appended to a real store file with the writer thread (WAL, full
 * sync), from 16 callers (with --stagger, their requests arrive apart). Prints CPU µs per row on the event loop (this
 * process's main thread) and on the other threads (the writer thread, and V8's helpers).
 *   npm run bench:audit [-- --rows 20000 --concurrent 16 --rounds 3 --stagger --sync full]
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
import { type AuditSync, openSqliteStore } from "../src/store/sqlite.ts"
import { randomWhatIf } from "./whatif.ts"

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "20000" },
    concurrent: { type: "string", default: "16" },
    rounds: { type: "string", default: "3" },
    distinct: { type: "string", default: "256" },
    stagger: { type: "boolean", default: false },
    sync: { type: "string", default: "normal" },
  },
})
if (args.sync !== "normal" && args.sync !== "full") throw new Error(`--sync ${args.sync}: normal or full`)
const auditSync: AuditSync = args.sync

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
  const store = openSqliteStore({ file: join(dir, "pulje.sqlite"), auditThread: true, auditSync })
  const n = Number(args.rows)
  const k = Number(args.concurrent)
  // k callers, each appending its rows one after another. With --stagger each row comes after a
  // random pause of up to 1 ms (requests arrive apart) and the CPU of the same run without the
  // appends is taken off (noisier); without, the k rows of a turn arrive together.
  const loops = async (rows: number, append: boolean) => {
    let next = 0
    const caller = async () => {
      for (let i = next++; i < rows; i = next++) {
        if (args.stagger) await new Promise((r) => setTimeout(r, Math.random()))
        if (append) await store.audit.append(rowOf(i))
      }
    }
    await Promise.all(Array.from({ length: k }, caller))
  }
  const measure = async (append: boolean) => {
    const c0 = cpu()
    const t0 = performance.now()
    await loops(n, append)
    const t1 = performance.now()
    const c1 = cpu()
    return { main: (c1.main - c0.main) / n, all: (c1.all - c0.all) / n, s: (t1 - t0) / 1000 }
  }
  await loops(Math.min(n, 2000), true)
  const results: { main: number; other: number; rowsPerS: number }[] = []
  for (let r = 0; r < Number(args.rounds); r++) {
    const bare = args.stagger ? await measure(false) : { main: 0, all: 0 }
    const full = await measure(true)
    const main = (full.main - bare.main) * 1e6
    results.push({ main, other: (full.all - full.main - (bare.all - bare.main)) * 1e6, rowsPerS: n / full.s })
  }
  const check = await store.audit.verify()
  await store.close()
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
  const row = (label: string, xs: number[], unit: string) =>
    `${label} ${median(xs).toFixed(label.startsWith("rows") ? 0 : 1)} ${unit} (rounds: ${xs.map((x) => x.toFixed(1)).join(", ")})`
  console.log(
    [
      `audit rows of ${answered.length} distinct what-if solves, ${n} rows a round from ${k} callers${args.stagger ? " arriving apart" : ""}, committed with synchronous ${auditSync}, ${results.length} rounds (medians)`,
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
