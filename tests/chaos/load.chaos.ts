import { connect } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { hardProblem } from "../api/hard.ts"
import { probeHealth, quantile, type Running, startServer } from "./server.ts"

/**
 * The real server in its own process under bursts, abandoned solves, large bodies and garbage.
 * Latencies are printed (they are what issue 13 asks about) and checked only with wide margins:
 * the machine is shared, and a test must not fail because it is busy.
 */

let server: Running
beforeAll(async () => {
  server = await startServer({ SOLVER_THREADS: "2", SOLVER_QUEUE: "8" })
})
afterAll(() => server.stop())

const json = (body: unknown, signal?: AbortSignal) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
  ...(signal ? { signal } : {}),
})

const solves = async () =>
  ((await (await fetch(`${server.base}/health`)).json()) as { solves: { running: number; queued: number } })
    .solves

const report = (what: string, ms: readonly number[]) =>
  console.log(
    `${what}: /health p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms (${ms.length} probes)`,
  )

describe("bounded work under load", () => {
  it("a burst beyond the cap gets 503 with Retry-After while /health keeps answering", async () => {
    const burst = Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${server.base}/solve`, json(hardProblem(1000))).then(async (r) => ({
          status: r.status,
          retryAfter: r.headers.get("retry-after"),
          body: (await r.json()) as { statusCode?: number },
        })),
      ),
    )
    const health = await probeHealth(server.base, burst)
    const answers = await burst
    const busy = answers.filter((a) => a.status === 503)
    report("burst of 40 one-second solves over 2 threads + 8 places", health)
    console.log(`burst: ${answers.length - busy.length} solved, ${busy.length} answered 503`)
    expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true)
    expect(busy.length).toBeGreaterThanOrEqual(40 - 10 - 4)
    // Whole seconds from the pool's estimate (1 before any solve has finished: none has, yet).
    expect(busy.every((a) => /^\d+$/.test(a.retryAfter ?? "") && a.body.statusCode === 503)).toBe(true)
    expect(busy.every((a) => Number(a.retryAfter) >= 1 && Number(a.retryAfter) <= 60)).toBe(true)
    expect(quantile(health, 0.99)).toBeLessThan(1000)
  })

  it("abandoned solves are stopped when their clients hang up", async () => {
    const aborts = Array.from({ length: 6 }, () => new AbortController())
    const pending = aborts.map((a) =>
      fetch(`${server.base}/solve`, json(hardProblem(15_000), a.signal)).catch(() => null),
    )
    for (let i = 0; i < 300 && (await solves()).running < 2; i++) await new Promise((r) => setTimeout(r, 20))
    expect(await solves()).toMatchObject({ running: 2 })
    const t0 = performance.now()
    for (const a of aborts) a.abort()
    let left = await solves()
    while (left.running + left.queued > 0 && performance.now() - t0 < 10_000) left = await solves()
    const stoppedMs = performance.now() - t0
    await Promise.all(pending)
    console.log(`6 abandoned 15 s solves: all stopped ${stoppedMs.toFixed(0)} ms after the clients hung up`)
    expect(left).toEqual({ running: 0, queued: 0 })
    expect(stoppedMs).toBeLessThan(2000)
  })

  it("senders of large bodies are refused unread while /health keeps answering", async () => {
    const big = JSON.stringify({ rules: { exclude: Array.from({ length: 50_000 }, () => "BC05") } })
    let refused = 0
    const until = performance.now() + 3000
    const sender = async () => {
      while (performance.now() < until) {
        const r = await fetch(`${server.base}/scenarios/ofs-2025-26/solve`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: big,
        }).catch(() => null)
        if (r) {
          await r.arrayBuffer()
          if (r.status === 413) refused++
          else throw new Error(`a large body got ${r.status}`)
        }
      }
    }
    const senders = Promise.all(Array.from({ length: 8 }, sender))
    const health = await probeHealth(server.base, senders)
    report(`8 senders of ${(big.length / 1024).toFixed(0)} KB bodies (${refused} refused with 413)`, health)
    expect(refused).toBeGreaterThan(0)
    expect(quantile(health, 0.99)).toBeLessThan(1000)
  })
})

/** A seeded PRNG (mulberry32). */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

describe("no input makes a 5xx", () => {
  it("answers garbage on the wire (methods, URLs, headers, bodies) with 4xx in the error shape", async () => {
    const rnd = random(13)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
    const junk = (n: number) =>
      Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(rnd() * 95))).join("")
    const methods = ["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "BREW", "G\u00e9T"]
    const paths = [
      "/health",
      "/solve",
      "/evaluate",
      "/compare",
      "/scenarios/ofs-2025-26/solve",
      "/proposals/%zz",
      "/proposals/BC05?x=%",
      `/${junk(40)}`,
      `/scenarios/${"a".repeat(5000)}/solve`,
      "/%00",
      "//..//",
      "*",
    ]
    const bodies = [
      "",
      "{}",
      "{",
      "null",
      "[]",
      '{"rules":{"limits":{"service":-1}}}',
      junk(200),
      '{"timeLimitMs":1e999}',
    ]
    const types = [
      "application/json",
      "text/plain",
      "application/json; charset=latin1",
      "multipart/form-data",
      "",
    ]
    const statuses: number[] = []
    const one = () =>
      new Promise<void>((resolve) => {
        const body = pick(bodies)
        const type = pick(types)
        const head = [
          `${pick(methods)} ${pick(paths)} HTTP/1.1`,
          `Host: ${pick(["localhost", "127.0.0.1", "evil.example", "", "localhost:99999"])}`,
          ...(type ? [`Content-Type: ${type}`] : []),
          ...(rnd() < 0.2 ? [`X-Request-Id: ${junk(100)}`] : []),
          ...(rnd() < 0.1
            ? [`Content-Length: ${pick(["-1", "abc", "99999999999"])}`]
            : [`Content-Length: ${Buffer.byteLength(body)}`]),
          "Connection: close",
        ]
        let got = ""
        const s = connect(server.port, "127.0.0.1", () => s.end(`${head.join("\r\n")}\r\n\r\n${body}`))
        s.setTimeout(10_000, () => s.destroy())
        s.on("data", (d) => {
          got += d.toString("latin1")
        })
        const done = () => {
          const m = got.match(/^HTTP\/1\.1 (\d{3})/)
          if (m) statuses.push(Number(m[1]))
          resolve()
        }
        s.on("close", done)
        s.on("error", () => undefined)
      })
    for (let i = 0; i < 60; i++) await Promise.all(Array.from({ length: 10 }, one))
    const counts: Record<number, number> = {}
    for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1
    console.log(`600 garbage requests: ${JSON.stringify(counts)}`)
    expect(statuses.length).toBeGreaterThan(500)
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    expect((await fetch(`${server.base}/health`)).status).toBe(200)
  })
})
