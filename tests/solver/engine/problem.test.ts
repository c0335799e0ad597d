import { describe, expect, it } from "vitest"
import { type Knapsack, validateKnapsack } from "../../../src/solver/engine/problem.ts"

/** Two groups, three options, one row: well formed. */
const good: Knapsack = {
  groups: 2,
  groupOf: [0, 0, 1],
  values: [3, 2, 1],
  required: [false, true],
  rows: [{ coefs: [1, 2, 3], max: 4 }],
  links: [{ kind: "requires", a: 0, b: 1 }],
  forceIn: [2],
  forceOut: [1],
}

describe("validateKnapsack", () => {
  it("accepts a well-formed problem", () => {
    expect(() => validateKnapsack(good)).not.toThrow()
  })

  it.each<[string, Partial<Knapsack>, string]>([
    ["groups", { groups: -1 }, "groups must be a non-negative integer"],
    ["groupOf length", { groupOf: [0, 1] }, "groupOf has 2 entries for 3 options"],
    ["groupOf entry", { groupOf: [0, 2, 1] }, "groupOf[1] = 2 is not a group"],
    ["values", { values: [3, Number.NaN, 1] }, "values[1] is not finite"],
    ["required", { required: [true] }, "required has 1 entries"],
    ["row length", { rows: [{ coefs: [1, 2] }] }, "rows[0].coefs has 2 entries for 3 options"],
    [
      "row coefficient",
      { rows: [{ coefs: [1, 2, 3] }, { coefs: [0, Infinity, 0] }] },
      "rows[1].coefs[1] is not finite",
    ],
    ["row max", { rows: [{ coefs: [1, 2, 3], max: Number.NaN }] }, "rows[0].max is NaN"],
    ["row min", { rows: [{ coefs: [1, 2, 3], min: Number.NaN }] }, "rows[0].min is NaN"],
    ["link's first group", { links: [{ kind: "excludes", a: 5, b: 0 }] }, "links[0] names group 5"],
    [
      "link's second group",
      { links: [good.links?.[0] ?? { kind: "requires", a: 0, b: 1 }, { kind: "requires", a: 0, b: 1.5 }] },
      "links[1] names group 1.5",
    ],
    ["forceIn", { forceIn: [3] }, "forceIn[0] = 3 is not an option"],
    ["forceOut", { forceOut: [0, -1] }, "forceOut[1] = -1 is not an option"],
  ])("names the field when the %s is wrong", (_, change, message) => {
    expect(() => validateKnapsack({ ...good, ...change })).toThrow(new RangeError(`knapsack: ${message}`))
  })
})
