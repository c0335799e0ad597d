import { describe, expect, it } from "vitest"
import { z } from "zod"
import { schemaBoundDa, schemaIssueDa } from "../../src/model/wording.ts"

/** The Danish words for a schema issue, as the round import and the command line say them. */
const said = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value)
  if (r.success) throw new Error("parsed")
  return r.error.issues.map((i) => schemaIssueDa(i, schemaBoundDa(i)))
}

describe("schemaIssueDa", () => {
  it.each([
    [
      "a text too long is too long",
      z.object({ title: z.string().max(3) }),
      { title: "abcd" },
      "Titel er for lang (højst 3 tegn)",
    ],
    [
      "a number too big is too big",
      z.object({ title: z.number().max(3) }),
      { title: 4 },
      "Titel er for stor (højst 3)",
    ],
    [
      "a list too long",
      z.object({ title: z.array(z.number()).max(1) }),
      { title: [1, 2] },
      "Titel er for stor (højst 1 stk.)",
    ],
    [
      "a text too short",
      z.object({ title: z.string().min(1) }),
      { title: "" },
      "Titel mangler eller er for kort/lille (mindst 1 tegn)",
    ],
  ])("%s", (_, schema, value, text) => {
    expect(said(schema, value)).toEqual([text])
  })
})
