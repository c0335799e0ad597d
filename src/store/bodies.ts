import { z } from "zod"
import { PackageEntry } from "../solver/evaluate.ts"
import { savedOf, versionOf } from "./schema.ts"

/** The content of a saved package: a scenario and the chosen variants, as `POST /evaluate` takes them. */
export const PackageBody = z
  .object({
    /** The round (data set) it was saved in; absent in packages saved before rounds existed. */
    round: z.string().min(1).optional(),
    scenario: z.string().min(1),
    package: z.array(PackageEntry),
  })
  .strict()
export type PackageBody = z.infer<typeof PackageBody>

/**
 * The content of a user scenario (a named what-if): kept as the JSON the application validated,
 * so that old versions stay readable when the scenario format grows.
 */
export const ScenarioBody = z.record(z.string(), z.unknown())
export type ScenarioBody = z.infer<typeof ScenarioBody>

export const PackageVersion = versionOf(PackageBody)
export const SavedPackage = savedOf(PackageBody)
export const ScenarioVersion = versionOf(ScenarioBody)
export const SavedScenario = savedOf(ScenarioBody)
export type PackageVersion = z.output<typeof PackageVersion>
export type SavedPackage = z.output<typeof SavedPackage>
export type ScenarioVersion = z.output<typeof ScenarioVersion>
export type SavedScenario = z.output<typeof SavedScenario>
