import { readdirSync, readFileSync } from "node:fs"
import { basename, join } from "node:path"
import { z } from "zod"
import { DataFileError, parseDataFile } from "../model/load.ts"
import { Rules } from "./rules.ts"

/** A named what-if over the data: the rules of a negotiation and where each number comes from. */
export const Scenario = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, "a scenario id is lowercase letters, digits and dashes"),
    title: z.string().min(1),
    description: z.string().min(1),
    /** Where each number comes from, and which numbers are assumptions. */
    sources: z.array(z.string().min(1)).default([]),
    assumptions: z.array(z.string().min(1)).default([]),
    /** Another scenario to show the difference against (the price of a political choice). */
    compareTo: z.string().optional(),
    rules: Rules,
  })
  .strict()
export type Scenario = z.infer<typeof Scenario>
export type ScenarioInput = z.input<typeof Scenario>

/** Load every `*.json` in `dir`, validating each; the file name must be the scenario's id. */
export const loadScenarios = (dir: string): Scenario[] => {
  const list = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const file = join(dir, f)
      const s = parseDataFile(Scenario, file, readFileSync(file, "utf8"))
      if (`${s.id}.json` !== basename(f))
        throw new DataFileError(file, [{ path: "id", message: `id "${s.id}" does not match the file name` }])
      return s
    })
  const ids = new Set(list.map((s) => s.id))
  for (const s of list)
    if (s.compareTo !== undefined && !ids.has(s.compareTo))
      throw new DataFileError(join(dir, `${s.id}.json`), [
        { path: "compareTo", message: `no scenario "${s.compareTo}"` },
      ])
  return list
}
