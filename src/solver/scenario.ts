import { z } from "zod"
import { Rules } from "./rules.ts"

/** A named what-if over a round (a file in its `what-ifs/` folder): the rules of a negotiation and where each number comes from. */
export const Scenario = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, "a scenario id is lowercase letters, digits and dashes"),
    /** Title and description are for the negotiators: Danish. */
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
