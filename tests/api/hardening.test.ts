import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { connect } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { buildApp } from "../../src/api/app.ts"
import { nextTurn } from "../../src/api/limits.ts"
import { Catalog } from "../../src/app/catalog.ts"
import { createContext } from "../../src/app/context.ts"
import { Busy, Cancelled } from "../../src/app/errors.ts"
import { WaitEstimate, workerPool } from "../../src/app/pool.ts"
import { decode } from "../../src/app/rawJson.ts"
import type { Task } from "../../src/app/tasks.ts"
import { solveScenario } from "../../src/app/useCases/solveScenario.ts"
import { SOLVER_NICENESS } from "../../src/app/workerLoop.ts"
import { DataFileError } from "../../src/model/load.ts"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"
import { Rules } from "../../src/solver/rules.ts"
import { generatedProposals } from "./generated.ts"
import { hardProblem } from "./hard.ts"

/**
 * The service under hostile or unlucky use (issue 13): bounded work, no 5xx for any input, safe
 * defaults. The slow checks (bursts, load, thread faults, slow clients) are in tests/chaos.
 */

let app: FastifyInstance
beforeAll(async () => {
  // One solver thread and one waiting place, so that the cap is reached with three requests.
  app = await buildApp({ threads: 1, maxQueue: 1, validateResponses: true })
  await app.ready()
})
afterAll(() => app.close())

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: "POST", url, payload: payload as object, headers })

/** A solve task over new proposals: always sent to a solver thread. */
const hardTask = (timeLimitMs: number): Task => {
  const body = hardProblem(timeLimitMs)
  return {
    kind: "solve",
    proposals: { builtIn: [], inline: body.inlineProposals },
    rules: Rules.parse(body.rules),
    engine: "bb",
    timeLimitMs,
  }
}
const smallTask = (catalog: Catalog): Task => ({
  kind: "solve",
  proposals: { builtIn: "all", inline: [] },
  rules: catalog.scenario().rules,
  engine: "bb",
  timeLimitMs: 5000,
})
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  )

describe("the solver threads (2, 4, 5, 6)", () => {
  // One thread and one waiting place, over a copy of the round that is spoilt after start-up.
  const dir = mkdtempSync(join(tmpdir(), "pulje-round-"))
  cpSync(BUILT_IN_ROUND_DIR, dir, { recursive: true })
  const ctx = createContext({ dataDir: dir, threads: 1, maxQueue: 1 })
  const catalog = ctx.catalog
  afterAll(async () => {
    await ctx.pool.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("answer from the data loaded at start-up, even after the files are spoilt and the threads restarted", async () => {
    const before = await solveScenario(ctx, "ofs-2025-26", { engine: "bb", timeLimitMs: 5000 })
    writeFileSync(join(dir, "proposals", "BC05.json"), "{ truncated")
    rmSync(join(dir, "round.json"))
    await ctx.pool.recycle()
    const after = await solveScenario(ctx, "ofs-2025-26", { engine: "bb", timeLimitMs: 5000 })
    const { stats: _a, ...was } = decode(before).result
    const { stats: _b, ...is } = decode(after).result
    expect(is).toEqual(was)
  })

  it("cap running plus waiting tasks: beyond it Busy at once; a cancelled task leaves at once", async () => {
    const stops = [new AbortController(), new AbortController()]
    const running = failure(ctx.pool.run(hardTask(20_000), { hardLimitMs: 60_000, signal: stops[0]?.signal }))
    const waiting = failure(ctx.pool.run(hardTask(20_000), { hardLimitMs: 60_000, signal: stops[1]?.signal }))
    const { running: r, queued: q } = ctx.pool.load()
    expect(r + q).toBe(2)
    expect(await failure(ctx.pool.run(hardTask(20_000), { hardLimitMs: 60_000 }))).toBeInstanceOf(Busy)
    // Cancel both: the waiting one is dropped, the running one stopped, and the thread is free
    // for the next task long before the 20 s solve would have ended.
    for (const s of stops) s.abort()
    expect(await waiting).toBeInstanceOf(Cancelled)
    expect(await running).toBeInstanceOf(Cancelled)
    const t0 = performance.now()
    const next = await ctx.pool.run(smallTask(catalog), { hardLimitMs: 60_000 })
    expect(next.result.ok).toBe(true)
    expect(performance.now() - t0).toBeLessThan(10_000)
  })

  it("start a task's hard limit when it starts, not when it is queued, and report the wait apart", async () => {
    const first = ctx.pool.run(hardTask(400), { hardLimitMs: 30_000 })
    // Waits about 600 ms behind the first and then needs a few ms: a 400 ms limit counted from
    // the queueing would stop it.
    const second = await ctx.pool.run(smallTask(catalog), { hardLimitMs: 400 })
    expect(second.result.ok).toBe(true)
    expect(second.queuedMs).toBeGreaterThan(second.runMs)
    await first
  })
})

describe("bounded work (3, 4, 7, 9, 10)", () => {
  it("refuses at start-up a scenario whose rules name what the round does not have", () => {
    const dir = mkdtempSync(join(tmpdir(), "pulje-what-ifs-"))
    try {
      writeFileSync(
        join(dir, "broken.json"),
        JSON.stringify({
          id: "broken",
          title: "Brudt",
          description: "Låser et forslag, der ikke findes",
          rules: {
            locks: [{ proposal: "BC99" }],
            committees: [{ committee: "Intet", measure: "count", max: 1 }],
          },
        }),
      )
      const error = (() => {
        try {
          new Catalog({ scenariosDir: dir })
          return null
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(DataFileError)
      const { file, issues } = error as DataFileError
      expect(file).toContain("broken.json")
      expect(issues.map((i) => i.path)).toEqual(["rules.locks[0].proposal", "rules.committees[0].committee"])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("answers 503 with Retry-After beyond the cap of running plus waiting solves", async () => {
    const burst = await Promise.all([1, 2, 3].map(() => post("/solve", hardProblem(300))))
    const codes = burst.map((r) => r.statusCode).sort()
    expect(codes).toEqual([200, 200, 503])
    const busy = burst.find((r) => r.statusCode === 503)
    expect(busy?.headers["retry-after"]).toBe("1")
    expect(busy?.json().message).toContain("busy")
  })

  it("computes Retry-After from the load and the recent time per task, in whole seconds from 1 to 60", () => {
    const wait = new WaitEstimate()
    expect(wait.retryAfterS(2, 30, 2)).toBe(1) // nothing has run yet
    for (let i = 0; i < 50; i++) wait.record(900)
    // 2 running and 6 waiting at 0,9 s each on 2 threads: 3,6 s.
    expect(wait.retryAfterS(2, 6, 2)).toBe(4)
    expect(wait.retryAfterS(1, 0, 2)).toBe(1)
    expect(wait.retryAfterS(2, 10_000, 2)).toBe(60)
    // The average follows recent tasks.
    for (let i = 0; i < 50; i++) wait.record(100)
    expect(wait.retryAfterS(2, 6, 2)).toBe(1)
  })

  it("tells a refused caller to wait as long as its load takes to work off", async () => {
    const catalog = new Catalog()
    // Recent tasks took 0,9 s each.
    const wait = new WaitEstimate()
    wait.record(900)
    const data = { proposals: catalog.proposals, prices: catalog.prices }
    const pool = workerPool({ data, threads: 1, maxQueue: 2, wait })
    try {
      const held = [1, 2, 3].map(() => pool.run(hardTask(300), { hardLimitMs: 30_000 }))
      const busy = await failure(pool.run(hardTask(300), { hardLimitMs: 30_000 }))
      // Three tasks at 0,9 s on one thread: 2,7 s.
      expect(busy).toBeInstanceOf(Busy)
      expect((busy as Busy).retryAfterS).toBe(3)
      await Promise.all(held)
    } finally {
      await pool.close()
    }
  })

  it("runs the solver threads at a lower priority than the event loop", async () => {
    // The nice value of each thread of this process (field 19 of /proc/self/task/TID/stat).
    const nicenessOf = (tid: string | number) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8")
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16])
    }
    const niceness = () => readdirSync("/proc/self/task").map(nicenessOf)
    const nicer = () => niceness().filter((n) => n === SOLVER_NICENESS).length
    const before = nicer()
    const catalog = new Catalog()
    const pool = workerPool({ data: { proposals: catalog.proposals, prices: catalog.prices }, threads: 2 })
    try {
      // Each thread lowers its own priority as it starts.
      await vi.waitFor(() => expect(nicer() - before).toBe(2), { timeout: 10_000, interval: 50 })
      // The process's main thread (its id is the process's) as it was: not the first entry of
      // /proc/self/task, which need not be the main thread's.
      expect(nicenessOf(process.pid)).toBe(0)
    } finally {
      await pool.close()
    }
  })

  it("gives large bodies one event-loop turn each, so other requests get in between", async () => {
    let turn = 0
    let spinning = true
    const spin = () => {
      turn++
      if (spinning) setImmediate(spin)
    }
    setImmediate(spin)
    const turns = await Promise.all([nextTurn(), nextTurn(), nextTurn()].map((t) => t.then(() => turn)))
    spinning = false
    expect(new Set(turns).size).toBe(3)
    // Bodies of either size still arrive whole: a large problem is solved, a small what-if too.
    const body = hardProblem(50)
    expect(JSON.stringify(body).length).toBeGreaterThan(16 * 1024)
    expect((await post("/solve", body)).statusCode).toBe(200)
    expect(
      (await post("/scenarios/ofs-2025-26/solve", { rules: { limits: { service: 90_000 } } })).statusCode,
    ).toBe(200)
  })

  it("says how long a solve waited and ran in Server-Timing", async () => {
    const r = await post("/scenarios/ofs-2025-26/solve", {})
    expect(r.headers["server-timing"]).toMatch(/^queue;dur=[\d.]+, solve;dur=[\d.]+$/)
  })

  it("caps per-year limits, rule lists, variant lists and options with 400 naming the field", async () => {
    const perYear = Array.from({ length: 101 }, (_, i) => ({ area: "service", year: 2000 + i, max: 1 }))
    const a = await post("/solve", { rules: { limits: { perYear } }, timeLimitMs: 1 })
    expect(a.statusCode).toBe(400)
    expect(a.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.rules.limits.perYear"])
    const locks = Array.from({ length: 201 }, () => ({ proposal: "BC05" }))
    const b = await post("/scenarios/ofs-2025-26/solve", { rules: { locks } })
    expect(b.json().issues[0].path).toBe("body.rules.locks")
    const variants = Object.fromEntries(
      Array.from({ length: 201 }, (_, i) => [`BC${String(i).padStart(3, "0")}`, ["base"]]),
    )
    const c = await post("/scenarios/ofs-2025-26/solve", { rules: { variants } })
    expect(c.json().issues[0].path).toBe("body.rules.variants")
    const d = await post("/solve", { rules: {}, proposals: [], inlineProposals: generatedProposals(100, 4) })
    expect(d.statusCode).toBe(400)
    expect(d.json().issues).toEqual([
      {
        path: "body.inlineProposals",
        message: "the problem has 400 variants to choose from; at most 300 are taken",
      },
    ])
  })

  it("refuses a body over its route's limit before reading it, in the error shape", async () => {
    const big = { rules: { exclude: Array.from({ length: 5000 }, () => "BC05") } }
    const r = await post("/scenarios/ofs-2025-26/solve", big)
    expect(r.statusCode).toBe(413)
    expect(r.json()).toMatchObject({ statusCode: 413, message: expect.stringContaining("32768 bytes") })
    // The same size is fine where a request carries whole proposals.
    const problem = await post("/solve", { ...hardProblem(50), inlineProposals: generatedProposals(60, 3) })
    expect(problem.statusCode).toBe(200)
  })

  it("stops at a node limit deterministically and says which limit stopped the search", async () => {
    const ask = () => post("/solve", hardProblem(30_000, { nodeLimit: 3000 }))
    const [a, b] = [await ask(), await ask()]
    expect(a.statusCode).toBe(200)
    expect(a.json().result.stats.stoppedBy).toBe("nodeLimit")
    const { stats: sa, ...ra } = a.json().result
    const { stats: sb, ...rb } = b.json().result
    expect(rb).toEqual(ra)
    expect(sb.nodes).toBe(sa.nodes)
    const timed = (await post("/solve", hardProblem(50))).json().result.stats.stoppedBy
    expect(timed).toBe("timeLimit")
    const done = (await post("/scenarios/ofs-2025-26/solve", {})).json().result.stats.stoppedBy
    expect(done).toBeNull()
  })
})

describe("safe by default (11-15)", () => {
  it("answers only for allowed hosts (DNS rebinding)", async () => {
    const evil = await app.inject({ method: "GET", url: "/health", headers: { host: "evil.example" } })
    expect(evil.statusCode).toBe(403)
    expect(evil.json().message).toContain("evil.example")
    for (const host of ["localhost:3000", "127.0.0.1", "[::1]:8080"])
      expect((await app.inject({ method: "GET", url: "/health", headers: { host } })).statusCode).toBe(200)
    const open = await buildApp({ threads: 1, allowedHosts: ["pulje.example"] })
    try {
      const r = await open.inject({ method: "GET", url: "/health", headers: { host: "pulje.example:443" } })
      expect(r.statusCode).toBe(200)
      expect((await open.inject({ method: "GET", url: "/health" })).statusCode).toBe(403)
    } finally {
      await open.close()
    }
  })

  it("sends no CORS permission to other origins unless configured", async () => {
    const origin = "https://evil.example"
    const r = await post("/scenarios/ofs-2025-26/solve", {}, { origin })
    expect(r.headers["access-control-allow-origin"]).toBeUndefined()
    const open = await buildApp({ threads: 1, corsOrigins: ["https://forhandling.example"] })
    try {
      const pre = await open.inject({
        method: "OPTIONS",
        url: "/solve",
        headers: { origin: "https://forhandling.example", "access-control-request-method": "POST" },
      })
      expect(pre.statusCode).toBe(204)
      expect(pre.headers["access-control-allow-origin"]).toBe("https://forhandling.example")
      const other = await open.inject({ method: "GET", url: "/health", headers: { origin } })
      expect(other.headers["access-control-allow-origin"]).toBeUndefined()
    } finally {
      await open.close()
    }
  })

  it("sends security headers, a same-origin CSP and no-store on API answers", async () => {
    const r = await app.inject({ method: "GET", url: "/health" })
    expect(r.headers["content-security-policy"]).toContain("default-src 'self'")
    expect(r.headers["content-security-policy"]).toContain("script-src 'self'")
    expect(r.headers["x-content-type-options"]).toBe("nosniff")
    expect(r.headers["x-frame-options"]).toBe("SAMEORIGIN")
    expect(r.headers["strict-transport-security"]).toMatch(/^max-age=\d+/)
    expect(r.headers["cross-origin-opener-policy"]).toBe("same-origin")
    expect(r.headers["cross-origin-embedder-policy"]).toBeUndefined()
    expect(r.headers["cache-control"]).toBe("no-store")
    const error = await app.inject({ method: "GET", url: "/nowhere" })
    expect(error.headers["cache-control"]).toBe("no-store")
    expect(error.headers["content-security-policy"]).toBe(r.headers["content-security-policy"])
    const docs = await app.inject({ method: "GET", url: "/docs/static/index.html" })
    expect(docs.headers["content-security-policy"]).toMatch(/style-src 'self' 'sha256-[^']+'/)
    const css = await app.inject({ method: "GET", url: "/docs/static/swagger-ui.css" })
    expect(css.statusCode).toBe(200)
    expect(css.headers["cache-control"]).not.toBe("no-store")
  })

  it("makes its own request ids unless the client's is short and plain", async () => {
    const long = await app.inject({
      method: "GET",
      url: "/health",
      headers: { "x-request-id": "x".repeat(5000) },
    })
    expect(long.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/)
    const odd = await app.inject({
      method: "GET",
      url: "/health",
      headers: { "x-request-id": "a b<script>" },
    })
    expect(odd.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/)
    const mine = await app.inject({
      method: "GET",
      url: "/health",
      headers: { "x-request-id": "forhandling-7" },
    })
    expect(mine.headers["x-request-id"]).toBe("forhandling-7")
  })

  it("does not echo large input back: issues capped, long values cut", async () => {
    const committee = "U".repeat(100_000)
    const r = await post("/solve", { rules: { committees: [{ committee, measure: "count", max: 1 }] } })
    expect(r.statusCode).toBe(400)
    expect(r.body.length).toBeLessThan(4000)
    const ids = Array.from({ length: 200 }, (_, i) => `BC${String(i + 100)}`)
    const many = await post("/solve", { rules: {}, proposals: ids })
    expect(many.statusCode).toBe(400)
    const issues = many.json().issues as { path: string; message: string }[]
    expect(issues).toHaveLength(20)
    expect(issues.at(-1)?.message).toBe("and 181 more issues")
    expect(many.body.length).toBeLessThan(8000)
  })

  it("gives every error the one shape: bad URL, 404, 413, 415, 400", async () => {
    const answers = [
      await app.inject({ method: "GET", url: "/%zz" }),
      await app.inject({ method: "GET", url: "/nowhere" }),
      await post("/scenarios/ofs-2025-26/solve", { rules: { exclude: Array(9000).fill("BC05") } }),
      await post("/solve", "x", { "content-type": "text/plain" }),
      await post("/solve", { rules: {}, timeLimitMs: 1e9 }),
    ]
    expect(answers.map((r) => r.statusCode)).toEqual([400, 404, 413, 415, 400])
    for (const r of answers) {
      expect(Object.keys(r.json()).sort()).toEqual(
        ["error", "message", "requestId", "statusCode", ...(r.json().issues ? ["issues"] : [])].sort(),
      )
      expect(r.json().requestId).toBe(r.headers["x-request-id"] ?? r.json().requestId)
    }
    // One issue for one bad field (it used to be listed twice).
    expect(answers[4]?.json().issues).toEqual([
      { path: "body.timeLimitMs", message: "Too big: expected number to be <=30000" },
    ])
  })

  it("answers 431 and slow or malformed requests in the error shape, and closes idle connections", async () => {
    const server = await buildApp({
      threads: 1,
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 400, maxConnections: 3 },
    })
    try {
      await server.listen({ port: 0, host: "127.0.0.1" })
      const { port } = server.server.address() as { port: number }
      expect(server.server.maxConnections).toBe(3)
      expect(server.server.keepAliveTimeout).toBe(5000)
      const raw = (text: string, end = true) =>
        new Promise<string>((resolve) => {
          let got = ""
          const s = connect(port, "127.0.0.1", () => (end ? s.write(text) : s.write(text)))
          s.on("data", (d) => {
            got += d.toString()
          })
          s.on("close", () => resolve(got))
          s.on("error", () => resolve(got))
        })
      const big = await raw(`GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`)
      expect(big).toMatch(/^HTTP\/1.1 431/)
      expect(JSON.parse(big.slice(big.indexOf("{")))).toMatchObject({
        statusCode: 431,
        requestId: expect.any(String),
      })
      // A client that never finishes its headers is answered 408 and cut off.
      const slow = await raw("GET /health HTTP/1.1\r\nHost: localhost\r\n", false)
      expect(slow).toMatch(/^HTTP\/1.1 408/)
    } finally {
      await server.close()
    }
  })
})
