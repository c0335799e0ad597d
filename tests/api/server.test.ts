import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ConfigError, envAuditSync, serve } from "../../src/api/server.ts"
import { Catalog } from "../../src/app/catalog.ts"
import { Stopped } from "../../src/app/errors.ts"
import { workerPool } from "../../src/app/pool.ts"
import { Rules } from "../../src/solver/rules.ts"
import { generatedProposals } from "./generated.ts"

describe("the real server", () => {
  let app: FastifyInstance
  let base: string
  beforeAll(async () => {
    app = await serve({ port: 0, host: "127.0.0.1", logger: false, threads: 1 })
    const address = app.server.address()
    if (address === null || typeof address === "string") throw new Error("not listening on a port")
    base = `http://127.0.0.1:${address.port}`
  })
  afterAll(() => app.close())

  it("answers over HTTP on a free port", async () => {
    const health = await fetch(`${base}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: "ok", solverThreads: 1 })
  })

  it("solves a scenario over HTTP", async () => {
    const r = await fetch(`${base}/scenarios/bc10-scenario-2/solve`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ engine: "bb", timeLimitMs: 5000 }),
    })
    expect(r.status).toBe(200)
    expect(r.headers.get("content-type")).toMatch(/application\/json/)
    const body = (await r.json()) as { result: { objective: number }; compareTo: { difference: number } }
    expect(body.result.objective).toBe(74563)
    expect(body.compareTo.difference).toBe(-4594)
  })

  it("answers a bad request over HTTP with 400 and the field path", async () => {
    const r = await fetch(`${base}/evaluate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ package: "BC05" }),
    })
    expect(r.status).toBe(400)
    const body = (await r.json()) as { issues: { path: string }[] }
    expect(body.issues[0]?.path).toBe("body.package")
  })
})

describe("the solver pool", () => {
  it("stops a task that outlives its backstop with 503, and goes on working", async () => {
    const catalog = new Catalog()
    const pool = workerPool({ data: { proposals: catalog.proposals, prices: catalog.prices }, threads: 1 })
    try {
      const rules = Rules.parse({
        limits: { service: 150000, anlaeg: 100000, perYear: [{ area: "anlaeg", year: 2026, max: 50000 }] },
        payback: { maxYears: null },
      })
      // 300 options take longer than 5 ms just to compile, whatever the search does after.
      const task = {
        kind: "solve" as const,
        proposals: { builtIn: [], inline: generatedProposals(100, 3) },
        rules,
        engine: "bb" as const,
        timeLimitMs: 20_000,
      }
      await pool.run(
        { ...task, proposals: { builtIn: "all", inline: [] }, timeLimitMs: 100 },
        { hardLimitMs: 10_000 },
      )
      const stopped = await pool.run(task, { hardLimitMs: 5 }).then(
        () => null,
        (e: unknown) => e,
      )
      expect(stopped).toBeInstanceOf(Stopped)
      const again = await pool.run(
        {
          ...task,
          proposals: { builtIn: "all", inline: [] },
          rules: catalog.scenario().rules,
          timeLimitMs: 5000,
        },
        { hardLimitMs: 10_000 },
      )
      const { result } = again
      expect(result.ok && result.output.kind === "solve" && result.output.summary.status).toBe("optimal")
    } finally {
      await pool.close()
    }
  })
})

describe("the audit rows' sync setting (PULJE_AUDIT_SYNC)", () => {
  it("is normal by default, full when asked, and anything else stops the start with what it takes", async () => {
    const before = process.env.PULJE_AUDIT_SYNC
    try {
      delete process.env.PULJE_AUDIT_SYNC
      expect(envAuditSync()).toBe("normal")
      process.env.PULJE_AUDIT_SYNC = "full"
      expect(envAuditSync()).toBe("full")
      process.env.PULJE_AUDIT_SYNC = "FULL!"
      expect(envAuditSync).toThrow(new ConfigError("PULJE_AUDIT_SYNC=FULL!: expected normal or full"))
      await expect(serve({ port: 0, host: "127.0.0.1", logger: false, threads: 1 })).rejects.toThrow(
        "PULJE_AUDIT_SYNC=FULL!: expected normal or full",
      )
    } finally {
      if (before === undefined) delete process.env.PULJE_AUDIT_SYNC
      else process.env.PULJE_AUDIT_SYNC = before
    }
  })
})
