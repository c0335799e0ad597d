import { cpSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildApp } from "../../src/api/app.ts"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"

/**
 * The OpenAPI document agrees with validation (issue 7, defect 11): every operation has an id and
 * an example, the example the docs page offers is accepted as it is, the schemas are named
 * components, and a body the server does not need is not marked required. Also defect 1 over REST.
 */

type Op = {
  operationId?: string
  parameters?: {
    in: string
    name: string
    example?: unknown
    schema?: { examples?: unknown[]; default?: unknown }
  }[]
  requestBody?: { required?: boolean; content: Record<string, { example?: unknown }> }
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>
}

let app: FastifyInstance
let doc: { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } }
// The examples include operations that write a round: they run on a copy of the rounds.
let rounds: string
let before: string | undefined
beforeAll(async () => {
  rounds = mkdtempSync(join(tmpdir(), "pulje-openapi-"))
  cpSync(BUILT_IN_ROUND_DIR, join(rounds, "ofs-2025-26"), { recursive: true })
  before = process.env.PULJE_ROUNDS_DIR
  process.env.PULJE_ROUNDS_DIR = rounds
  app = await buildApp({ threads: 0, validateResponses: true })
  doc = (await app.inject({ url: "/openapi.json" })).json()
})
afterAll(async () => {
  await app.close()
  if (before === undefined) delete process.env.PULJE_ROUNDS_DIR
  else process.env.PULJE_ROUNDS_DIR = before
  rmSync(rounds, { recursive: true, force: true })
})

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  )

const exampleOf = (p: NonNullable<Op["parameters"]>[number]) =>
  p.example ?? p.schema?.examples?.[0] ?? p.schema?.default

/** Operations whose body is a file (the round workbook), which the docs page cannot fill in; tests/api/files.test.ts sends them one. */
const UPLOADS = new Set(["importRound"])
const fileUpload = (op: Op) => UPLOADS.has(op.operationId ?? "")

describe("the OpenAPI document", () => {
  it("names every operation and gives every parameter and body an example", () => {
    const ops = operations()
    expect(ops.length).toBe(23)
    for (const { path, method, op } of ops) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/)
      for (const p of op.parameters ?? []) expect(exampleOf(p), `${method} ${path} ${p.name}`).toBeDefined()
      if (op.requestBody)
        expect(op.requestBody.content["application/json"]?.example, `${method} ${path}`).toBeDefined()
    }
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length)
  })

  it("accepts the example of every operation as the docs page sends it", async () => {
    const sent = operations().filter(({ op }) => !fileUpload(op))
    expect(operations().length - sent.length).toBe(1) // the round import takes the workbook itself
    for (const { path, method, op } of sent) {
      let url = path
      const query = new URLSearchParams()
      for (const p of op.parameters ?? []) {
        const value = String(exampleOf(p))
        if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(value))
        if (p.in === "query") query.set(p.name, value)
      }
      const body = op.requestBody?.content["application/json"]?.example
      const r = await app.inject({
        method: method as "GET" | "POST",
        url: query.size ? `${url}?${query}` : url,
        ...(body === undefined ? {} : { payload: body as object }),
      })
      expect(r.statusCode, `${method} ${url}: ${r.body.slice(0, 300)}`).toBeOneOf([200, 201])
    }
  })

  it("bounds the pool price level as validation does, and the server accepts what the bounds allow", async () => {
    const patch = doc.components.schemas.RulesPatchInput as { properties: { poolPriceLevel: object } }
    expect(patch.properties.poolPriceLevel).toMatchObject({ type: "integer", minimum: 2000, maximum: 2100 })
    const over = await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      payload: { rules: { poolPriceLevel: 2101 } },
    })
    expect(over.statusCode).toBe(400)
    expect(over.json().issues[0].path).toBe("body.rules.poolPriceLevel")
  })

  it("does not mark the scenario solve's body required, and a bare POST solves", async () => {
    const op = doc.paths["/scenarios/{id}/solve"]?.post
    expect(op?.requestBody?.required).toBe(false)
    expect(doc.paths["/solve"]?.post?.requestBody?.required).toBe(true)
    // Bare: no body, but (as every POST must, issue 13) saying it is JSON.
    const r = await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      headers: { "content-type": "application/json" },
    })
    expect(r.statusCode).toBe(200)
  })

  it("names the result schemas once, as components, and refers to them", () => {
    for (const name of [
      "SolveResult",
      "PackageFigures",
      "RuleUse",
      "Violation",
      "Finding",
      "Comparison",
      "Error",
    ])
      expect(Object.keys(doc.components.schemas), name).toContain(name)
    const text = JSON.stringify(doc.paths["/scenarios/{id}/solve"]?.post?.responses["200"])
    expect(text).toContain("#/components/schemas/SolveResult")
  })
})

describe("issue 7 defect 1 over REST", () => {
  it("refuses two locks of one proposal in different variants, naming both", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      payload: {
        rules: {
          locks: [
            { proposal: "BC10", variant: "base" },
            { proposal: "BC10", variant: "scenario-2" },
          ],
          payback: { exempt: ["BC10"] },
        },
      },
    })
    expect(r.statusCode).toBe(400)
    const issue = r.json().issues[0]
    expect(issue.path).toBe("body.rules.locks[1].variant")
    expect(issue.message).toContain("locks[0] says base, locks[1] says scenario-2")
  })
})
