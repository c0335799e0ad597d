/**
 * API benchmark: start the real server (its own process, on 127.0.0.1 and a free port), load it
 * with autocannon on POST /scenarios/ofs-2025-26/solve, print requests/s, latency and the
 * server's memory over the run, stop it.
 *   npm run bench:api [-- --duration 10 --connections 16 --warmup 3 --url /scenarios/ofs-2025-26/solve]
 *   npm run bench:api -- --whatif     distinct what-ifs: random pool sizes and locks per request
 *   npm run bench:api -- --processes 2   that many HTTP processes sharing the port (node:cluster)
 *   npm run bench:api -- --whatif --against ../other-checkout [--rounds 6]
 *       A/B: this checkout's server and another's (built too) side by side, loaded at the same
 *       time with half the connections each, so the machine's speed drifts alike for both;
 *       per round each one's event-loop CPU per request and the ratio this ÷ other.
 * The server runs as production runs it (`npm start`: node dist/cli/main.js serve), so `npm run
 * build` must have run since src last changed; the bench says so otherwise.
 * Goal on a 2-core machine: at least 5000 distinct what-if solves/s with p99 under 10 ms, 0 errors.
 */
import {
  closeSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { quantile, startServer } from "../tests/chaos/server.ts"
import { randomWhatIf } from "./whatif.ts"

interface Histogram {
  readonly average: number
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly max: number
}
interface AutocannonResult {
  readonly requests: Histogram & { readonly total: number; readonly sent: number }
  readonly latency: Histogram
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
  readonly duration: number
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "16" },
    url: { type: "string", default: "/scenarios/ofs-2025-26/solve" },
    body: { type: "string", default: "{}" },
    whatif: { type: "boolean", default: false },
    processes: { type: "string", default: "1" },
    against: { type: "string" },
    rounds: { type: "string", default: "6" },
  },
})

/** A process and every process under it (with --processes, the primary and its HTTP processes). */
const processTree = (pid: number | undefined): number[] => {
  const parents = new Map<number, number>()
  try {
    for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d)))
      try {
        const stat = readFileSync(`/proc/${p}/stat`, "utf8")
        parents.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]))
      } catch {
        // ended while we looked
      }
  } catch {
    return pid === undefined ? [] : [pid]
  }
  const out = pid === undefined ? [] : [pid]
  for (let i = 0; i < out.length; i++) for (const [c, p] of parents) if (p === out[i]) out.push(c)
  return out
}
const sum = (xs: readonly (number | null)[]): number | null =>
  xs.some((x) => x === null) ? null : xs.reduce<number>((a, b) => a + (b ?? 0), 0)

/** Resident memory of a process in MiB; null where /proc is missing. */
const rssMiB = (pid: number | undefined): number | null => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/)
    return line ? Number(line[1]) / 1024 : null
  } catch {
    return null
  }
}

/**
 * CPU seconds (user + system) a process has used so far, all threads, or with `mainOnly` its main
 * thread alone (the event loop); null where /proc is missing.
 */
const cpuSeconds = (pid: number | undefined, mainOnly = false): number | null => {
  try {
    const stat = mainOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`
    const fields = readFileSync(stat, "utf8").split(") ")[1]?.split(" ") ?? []
    // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

/**
 * A store of its own for each server of a run (PULJE_DATA_DIR, removed at the end) unless the
 * environment names one: every solve appends an audit row, so a bench on the checkout's ./var
 * would grow it by some 300.000 rows a minute and measure each run on a different store.
 */
const dataDirs: string[] = []
const ownDataDir = (): Record<string, string> => {
  if (process.env.PULJE_DATA_DIR) return {}
  const dir = mkdtempSync(join(tmpdir(), "pulje-bench-"))
  dataDirs.push(dir)
  return { PULJE_DATA_DIR: dir }
}
process.on("exit", () => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
})

/**
 * A server's environment: its own store (ownDataDir), and the per-address rate limit (600 a
 * minute) lifted, since one client makes the whole load: the limiter still runs on every request,
 * it just never says no.
 */
const serverEnv = (): Record<string, string> => ({
  LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  PULJE_RATE_LIMIT: process.env.PULJE_RATE_LIMIT ?? "1000000000",
  ...ownDataDir(),
})

/** The load autocannon puts on a server: the url's POST with the body (or a random what-if each), by `connections`. */
const loadOf = (base: string, connections: number) => ({
  url: `${base}${args.url}`,
  method: "POST",
  headers: { "content-type": "application/json" },
  body: args.body,
  connections,
  ...(args.whatif
    ? { requests: [{ setupRequest: (req: object) => ({ ...req, body: randomWhatIf() }) }] }
    : {}),
})

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/**
 * Side by side: this checkout's server and the one in `other`, each loaded by half the
 * connections at the same time, for `rounds` rounds; the event loop's CPU per request of each.
 * On a machine whose CPU speed drifts (up to 1,8x here on identical code between runs a minute
 * apart), runs one after the other cannot tell a 5 % change; side by side the pair ratios stay
 * within about ±3 %.
 */
const sideBySide = async (other: string): Promise<void> => {
  const servers = await Promise.all([
    startServer(serverEnv(), { built: true }),
    startServer(serverEnv(), { built: true, root: other }),
  ])
  try {
    const half = Math.max(1, Math.floor(Number(args.connections) / 2))
    const both = (seconds: number) =>
      Promise.all(servers.map((s) => autocannon({ ...loadOf(s.base, half), duration: seconds })))
    await both(Number(args.warmup))
    const perRequest: [number[], number[]] = [[], []]
    for (let round = 1; round <= Number(args.rounds); round++) {
      const loop0 = servers.map((s) => cpuSeconds(s.child.pid, true))
      const results = await both(Number(args.duration))
      const line = results.map((r, i) => {
        const before = loop0[i] ?? null
        const after = cpuSeconds(servers[i]?.child.pid, true)
        const us =
          before === null || after === null
            ? Number.NaN
            : ((after - before) * 1e6) / Math.max(1, r.requests.total)
        perRequest[i as 0 | 1].push(us)
        const bad = r.errors + r.non2xx
        return `${us.toFixed(1)} µs/req ${r.requests.average.toFixed(0)}/s p99 ${r.latency.p99} ms${bad ? ` ${bad} errors` : ""}`
      })
      console.log(
        `round ${round}: this ${line[0]} | other ${line[1]} | ratio ${((perRequest[0].at(-1) ?? 0) / (perRequest[1].at(-1) ?? 1)).toFixed(3)}`,
      )
      if (results.some((r) => r.errors || r.non2xx)) process.exitCode = 1
    }
    const ratios = perRequest[0].map((x, i) => x / (perRequest[1][i] ?? Number.NaN))
    console.log(
      `event loop per request, median of ${ratios.length} rounds: this ${median(perRequest[0]).toFixed(1)} µs, other ${median(perRequest[1]).toFixed(1)} µs; ratio this ÷ other median ${median(ratios).toFixed(3)} (range ${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}, ${ratios.filter((x) => x < 1).length} of ${ratios.length} below 1)`,
    )
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
  }
}

if (args.against !== undefined) {
  await sideBySide(args.against).catch((e: unknown) => {
    console.error(`bench:api: ${e instanceof Error ? e.message : e}`)
    process.exitCode = 1
  })
  process.exit()
}

/**
 * How long the disk under `dir` takes to sync a small write (ms, sorted): with PULJE_AUDIT_SYNC=full
 * every answered solve waits for its audit row's commit with a sync to disk (group commit), so at
 * a fixed number of connections the disk's sync time bounds the rate (rate = connections ÷ mean
 * latency).
 */
const syncTimes = (dir: string, n = 100): number[] => {
  const file = join(dir, "sync-probe")
  const fd = openSync(file, "w")
  const page = Buffer.alloc(4096, 120)
  const times: number[] = []
  try {
    for (let i = 0; i < n; i++) {
      writeSync(fd, page)
      const t0 = performance.now()
      fdatasyncSync(fd)
      times.push(performance.now() - t0)
    }
  } finally {
    closeSync(fd)
    rmSync(file, { force: true })
  }
  return times.sort((a, b) => a - b)
}

const env: Record<string, string> = { ...serverEnv(), PULJE_PROCESSES: args.processes }
const running = await startServer(env, { built: true }).catch((e: unknown) => {
  console.error(`bench:api: ${e instanceof Error ? e.message : e}`)
  process.exit(1)
})
const { base, child: server } = running

try {
  const health = (await (await fetch(`${base}/health`)).json()) as { solverThreads: number }
  const check = await fetch(`${base}${args.url}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: args.body,
  })
  if (!check.ok) throw new Error(`POST ${args.url} answered ${check.status}: ${await check.text()}`)
  const request = loadOf(base, Number(args.connections))
  await autocannon({ ...request, duration: Number(args.warmup) })
  const storeDir = env.PULJE_DATA_DIR ?? process.env.PULJE_DATA_DIR
  const syncs = storeDir === undefined ? [] : syncTimes(storeDir)
  const tree = processTree(server.pid)
  const cpu0 = sum(tree.map((p) => cpuSeconds(p)))
  const loop0 = sum(tree.map((p) => cpuSeconds(p, true)))
  const own0 = process.cpuUsage()
  const rss: number[] = []
  const sampler = setInterval(() => {
    const m = sum(tree.map(rssMiB))
    if (m !== null) rss.push(m)
  }, 1000)
  const r = await autocannon({ ...request, duration: Number(args.duration) })
  clearInterval(sampler)
  const cpu1 = sum(tree.map((p) => cpuSeconds(p)))
  const loop1 = sum(tree.map((p) => cpuSeconds(p, true)))
  const own = process.cpuUsage(own0)
  const tenth = Math.max(1, Math.floor(rss.length / 10))
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  const ms = (x: number) => `${x.toFixed(1)} ms`
  console.log(
    [
      `POST ${args.url}${args.whatif ? " (distinct random what-ifs)" : ""}: ${args.connections} connections, ${args.duration} s after a ${args.warmup} s warm-up, ${args.processes} HTTP process(es) with ${health.solverThreads} solver threads each, log level ${process.env.LOG_LEVEL ?? "info"}`,
      `requests/s  ${r.requests.average.toFixed(0)} (total ${r.requests.total}; errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx})`,
      `latency     p50 ${ms(r.latency.p50)}  p90 ${ms(r.latency.p90)}  p99 ${ms(r.latency.p99)}  max ${ms(r.latency.max)}  mean ${r.latency.average.toFixed(2)} ms (${args.connections} connections ÷ mean = ${(Number(args.connections) / (r.latency.average / 1000)).toFixed(0)}/s)`,
      syncs.length
        ? `store disk  a 4 KiB write synced in p50 ${ms(quantile(syncs, 0.5))}, p90 ${ms(quantile(syncs, 0.9))}, max ${ms(syncs.at(-1) ?? 0)} (${syncs.length} syncs in the store's folder after the warm-up)${
            process.env.PULJE_AUDIT_SYNC === "full"
              ? `; with PULJE_AUDIT_SYNC=full each answer waits for its audit row's synced commit, so ${args.connections} connections get at most ${args.connections} ÷ (p50 sync) = ${(Number(args.connections) / (quantile(syncs, 0.5) / 1000)).toFixed(0)} answers/s from the disk alone`
              : "; the audit rows of solves commit without waiting for it (PULJE_AUDIT_SYNC=normal, the default)"
          }`
        : "",
      cpu0 === null || cpu1 === null
        ? "server CPU  (not measured: no /proc)"
        : `server CPU  ${(((cpu1 - cpu0) * 1000) / Math.max(1, r.requests.total)).toFixed(3)} ms a request (all threads; ${((cpu1 - cpu0) / Number(args.duration)).toFixed(2)} cores busy on average)`,
      loop0 === null || loop1 === null
        ? ""
        : `event loop  ${(((loop1 - loop0) * 1000) / Math.max(1, r.requests.total)).toFixed(3)} ms a request (the processes' main threads; ${((loop1 - loop0) / Number(args.duration)).toFixed(2)} cores busy on average)`,
      `load gen    ${((own.user + own.system) / 1e6 / Number(args.duration)).toFixed(2)} cores busy on average (autocannon, in this process, on the same machine)`,
      rss.length
        ? `server RSS  first 10 % of the run ${mean(rss.slice(0, tenth)).toFixed(0)} MiB, last 10 % ${mean(rss.slice(-tenth)).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB (${rss.length} samples)`
        : "server RSS  (not measured: no /proc)",
      rss.length >= 20
        ? `RSS by time ${rss
            .filter((_, i) => i % Math.ceil(rss.length / 10) === 0)
            .map((m) => m.toFixed(0))
            .join(" → ")} MiB`
        : "",
      `goal        ≥ 5000 requests/s and p99 < 10 ms, 0 errors: ${r.requests.average >= 5000 && r.latency.p99 < 10 && !r.errors && !r.non2xx ? "met" : "NOT met"}`,
    ]
      .filter(Boolean)
      .join("\n"),
  )
  if (r.errors || r.non2xx) process.exitCode = 1
} finally {
  await running.stop()
}
