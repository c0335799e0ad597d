import fc from "fast-check"
import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildApp } from "../../src/api/app.ts"

/**
 * No input may make the server answer 500: arbitrary JSON, and bodies that are nearly right
 * (the right fields holding anything), at every endpoint that takes a body or a query.
 */

let app: FastifyInstance
beforeAll(async () => {
  app = await buildApp({ threads: 2, validateResponses: true })
  await app.ready()
})
afterAll(() => app.close())

const anything = fc.jsonValue({ maxDepth: 3 })
const number = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 250_000 }), weight: 8 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
  { arbitrary: fc.constantFrom(-1, 1e300, -1e-300, 2 ** 53 + 1, 1e12 + 1, 0.1 + 0.2), weight: 1 },
)
const id = fc.oneof(
  { arbitrary: fc.constantFrom("BC05", "BC10", "BC24", "BC34", "BC41"), weight: 8 },
  { arbitrary: fc.constantFrom("bc07", "BC99", "BC1", ""), weight: 1 },
  { arbitrary: fc.string(), weight: 1 },
)
const variant = fc.oneof(
  { arbitrary: fc.constantFrom("base", "scenario-2"), weight: 8 },
  { arbitrary: fc.constantFrom("scenario-3", ""), weight: 1 },
  { arbitrary: fc.string(), weight: 1 },
)
/** Now and then a body of any shape at all. */
const body = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: a, weight: 6 }, { arbitrary: anything, weight: 1 })
/** Mostly the right shape, now and then anything at all. */
const maybe = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: a, weight: 12 }, { arbitrary: anything, weight: 1 })

const rules = fc.record(
  {
    objective: maybe(
      fc.oneof(
        fc.constant({ kind: "permanentEffect" }),
        fc.record({
          kind: fc.constant("cumulatedNetEffect"),
          untilYear: maybe(fc.integer({ min: 1990, max: 2110 })),
        }),
      ),
    ),
    poolPriceLevel: maybe(fc.integer({ min: 2020, max: 2030 })),
    limits: maybe(
      fc.record(
        {
          service: maybe(fc.oneof(number, fc.constant(null))),
          anlaeg: maybe(fc.oneof(number, fc.constant(null))),
          combined: maybe(fc.oneof(number, fc.constant(null))),
          perYear: maybe(
            fc.array(
              fc.record({
                area: maybe(fc.constantFrom("service", "anlaeg", "combined")),
                year: maybe(fc.integer({ min: 2020, max: 2040 })),
                max: number,
              }),
              { maxLength: 3 },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    payback: maybe(
      fc.record(
        {
          maxYears: maybe(fc.oneof(number, fc.constant(null))),
          basis: maybe(fc.constantFrom("total", "service")),
          exempt: maybe(fc.array(id, { maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
    ),
    locks: maybe(
      fc.array(fc.record({ proposal: id, variant }, { requiredKeys: ["proposal"] }), { maxLength: 3 }),
    ),
    exclude: maybe(fc.array(id, { maxLength: 3 })),
    variants: maybe(fc.dictionary(id, fc.array(variant, { maxLength: 2 }), { maxKeys: 2 })),
    committees: maybe(
      fc.array(
        fc.record(
          {
            committee: fc.constantFrom("Socialudvalget", "Økonomiudvalget", "Finansudvalget"),
            measure: maybe(fc.constantFrom("count", "poolCost", "saving")),
            min: number,
            max: number,
          },
          { requiredKeys: ["committee", "measure"] },
        ),
        { maxLength: 2 },
      ),
    ),
    dependencies: maybe(
      fc.array(fc.record({ kind: maybe(fc.constantFrom("requires", "excludes")), proposal: id, other: id }), {
        maxLength: 2,
      }),
    ),
    maxProposals: maybe(fc.oneof(number, fc.constant(null))),
  },
  { requiredKeys: [] },
)
const settings = {
  engine: maybe(fc.constantFrom("bb", "lp")),
  timeLimitMs: maybe(fc.integer({ min: 1, max: 300 })),
}
const entries = fc.array(fc.record({ proposal: id, variant }, { requiredKeys: ["proposal"] }), {
  maxLength: 4,
})
const scenario = maybe(fc.constantFrom("ofs-2025-26", "bc10-scenario-2", "payback-waived", "nope"))

const bodies: Record<string, fc.Arbitrary<unknown>> = {
  "/scenarios/ofs-2025-26/solve": body(fc.record({ rules, ...settings }, { requiredKeys: [] })),
  "/solve": body(
    fc.record(
      { rules, proposals: maybe(fc.oneof(fc.constant("all"), fc.array(id, { maxLength: 4 }))), ...settings },
      { requiredKeys: ["rules"] },
    ),
  ),
  "/evaluate": body(
    fc.record({ scenario, rules, package: maybe(entries), ...settings }, { requiredKeys: ["package"] }),
  ),
  "/compare": body(
    fc.record(
      {
        items: maybe(
          fc.array(
            fc.record(
              { scenario, rules, package: maybe(entries), label: maybe(fc.string()) },
              { requiredKeys: [] },
            ),
            {
              maxLength: 3,
            },
          ),
        ),
        ...settings,
      },
      { requiredKeys: ["items"] },
    ),
  ),
}

const ANSWERS = [200, 400, 404, 413, 415, 422]

describe("no input makes the server answer 500", () => {
  for (const [url, arbitrary] of Object.entries(bodies))
    it(`POST ${url}`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (payload) => {
          const r = await app.inject({
            method: "POST",
            url,
            headers: { "content-type": "application/json" },
            payload: JSON.stringify(payload),
          })
          if (!ANSWERS.includes(r.statusCode))
            throw new Error(`${r.statusCode} for ${JSON.stringify(payload)}: ${r.body}`)
          if (r.statusCode === 400) expect(JSON.parse(r.body).message.length).toBeGreaterThan(0)
        }),
        { numRuns: 150, seed: 4 },
      )
    })

  it("GET /proposals with any query", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom("committee", "area", "x"), fc.string()),
        async (query) => {
          const r = await app.inject({ method: "GET", url: "/proposals", query })
          expect(ANSWERS).toContain(r.statusCode)
        },
      ),
      { numRuns: 100, seed: 4 },
    )
  })

  it("GET and POST with any id", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (raw) => {
        const path = encodeURIComponent(raw)
        for (const r of [
          await app.inject({ method: "GET", url: `/proposals/${path}` }),
          await app.inject({ method: "GET", url: `/scenarios/${path}` }),
          await app.inject({ method: "POST", url: `/scenarios/${path}/solve` }),
        ])
          expect(ANSWERS).toContain(r.statusCode)
      }),
      { numRuns: 100, seed: 4 },
    )
  })

  it("answers the numbers the solver cannot take exactly with 400", async () => {
    for (const rules of [
      { limits: { service: 1e300 } },
      { maxProposals: 2 ** 60 },
      { poolPriceLevel: 2030, limits: { combined: 1000 } },
      { limits: { perYear: [{ area: "anlaeg", year: 2027, max: 1e15 }] } },
    ]) {
      const r = await app.inject({ method: "POST", url: "/scenarios/ofs-2025-26/solve", payload: { rules } })
      expect(r.statusCode, JSON.stringify(rules)).toBe(400)
      expect(JSON.parse(r.body).issues[0].path).toMatch(/^body\.rules\./)
    }
  })
})
