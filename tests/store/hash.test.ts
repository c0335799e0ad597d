import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { canonicalJson } from "../../src/store/index.ts"

/** The first canonical JSON (every object rebuilt with sorted keys, then JSON.stringify): the stored hashes were made so. */
const reference = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  ) ?? "null"

describe("canonical JSON", () => {
  it("is the text the audit trail's hashes were made of, for any JSON-like value", () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom("0", "1", "10", "9", "01", "-1", "4294967295", "__proto__"),
    )
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.string(),
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.date({ noInvalidDate: true }),
      ),
      node: fc.oneof(
        { depthSize: "small" },
        tie("leaf"),
        fc.array(tie("node"), { maxLength: 5 }),
        fc.dictionary(key, tie("node"), { maxKeys: 6 }),
      ),
    })).node
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(reference(v))
      }),
      { numRuns: 1000 },
    )
  })

  it("leaves out what JSON leaves out and sorts keys at every depth", () => {
    expect(
      canonicalJson({ b: 1, a: { d: [2, undefined, () => 1], c: null, f: undefined }, 2: 0, 10: 1 }),
    ).toBe('{"2":0,"10":1,"a":{"c":null,"d":[2,null,null]},"b":1}')
    expect(canonicalJson(undefined)).toBe("null")
  })
})
