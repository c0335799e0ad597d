import { basename, join } from "node:path"
import {
  DataFileError,
  type DataSet,
  deepFreeze,
  jsonFilesIn,
  loadDataSet,
  parseDataFile,
  readDataText,
} from "../model/load.ts"
import { knownLevels } from "../model/priceLevel.ts"
import { Proposal } from "../model/schema.ts"
import { checkRules } from "../solver/compile.ts"
import { Scenario } from "../solver/scenario.ts"
import { formatPath } from "./errors.ts"

/** A whole round: its settings, proposals and overview, and its named what-ifs (scenarios). */
export interface Round extends DataSet {
  /** The folder it was loaded from. */
  readonly dir: string
  readonly scenarios: readonly Scenario[]
  /** The confidential proposals (from their own folder), for callers with the grant only. */
  readonly confidential: readonly Proposal[]
}

/**
 * Load the confidential proposals: every `*.json` in `dir`, in the proposals' format with
 * `"confidential": true`, named like no public proposal.
 */
export const loadConfidential = (dir: string, publicIds: ReadonlySet<string>): Proposal[] =>
  jsonFilesIn(dir).map((f) => {
    const file = join(dir, f)
    const p = parseDataFile(Proposal, file, readDataText(file))
    if (`${p.id}.json` !== basename(f))
      throw new DataFileError(file, [{ path: "id", message: `id "${p.id}" does not match the file name` }])
    if (p.confidential !== true)
      throw new DataFileError(file, [
        {
          path: "confidential",
          message: 'a proposal in the confidential folder must say "confidential": true',
        },
      ])
    if (publicIds.has(p.id))
      throw new DataFileError(file, [{ path: "id", message: `${p.id} is also a public proposal` }])
    return deepFreeze(p)
  })

/** The round's public proposals; DataFileError when one of them is marked confidential. */
const publicProposals = (dir: string, proposals: readonly Proposal[]) => {
  const leaked = proposals.find((p) => p.confidential)
  if (leaked)
    throw new DataFileError(join(dir, "proposals", `${leaked.id}.json`), [
      {
        path: "confidential",
        message: "a confidential proposal belongs in the confidential folder, not the round's",
      },
    ])
  return proposals
}

/**
 * Load every `*.json` in `dir` as a scenario, validating each; the file name must be the id, and
 * a scenario without a pool price level gets the round's.
 */
const loadScenarios = (dir: string, data: DataSet): Scenario[] => {
  const { config, proposals } = data
  const list = jsonFilesIn(dir).map((f) => {
    const file = join(dir, f)
    const s = parseDataFile(Scenario, file, readDataText(file))
    if (`${s.id}.json` !== basename(f))
      throw new DataFileError(file, [{ path: "id", message: `id "${s.id}" does not match the file name` }])
    const scenario = {
      ...s,
      rules: { ...s.rules, poolPriceLevel: s.rules.poolPriceLevel ?? config.poolPriceLevel },
    }
    // A scenario naming a proposal, variant, committee or price level the round does not have
    // is the data's fault: refuse it here, not on every solve (where it would blame the client).
    const issues = checkRules(proposals, scenario.rules, config)
    const levels = knownLevels(config.priceIndex)
    if (!levels.includes(scenario.rules.poolPriceLevel))
      issues.push({
        path: ["poolPriceLevel"],
        message: `the price index has no level ${scenario.rules.poolPriceLevel}; it has ${levels.join(", ")}`,
      })
    if (issues.length)
      throw new DataFileError(
        file,
        issues.map((i) => ({ path: formatPath(["rules", ...i.path]), message: i.message })),
      )
    return scenario
  })
  const ids = new Set(list.map((s) => s.id))
  for (const s of list)
    if (s.compareTo !== undefined && !ids.has(s.compareTo))
      throw new DataFileError(join(dir, `${s.id}.json`), [
        { path: "compareTo", message: `no scenario "${s.compareTo}"` },
      ])
  return list
}

/**
 * Load a round folder: `round.json`, `overview.json`, `proposals/*.json` and the what-ifs in
 * `what-ifs/*.json` (or `scenariosDir`), and the confidential proposals in `confidentialDir`.
 * Every file is validated; a bad one is a DataFileError naming file and field.
 */
export const loadRound = (
  dir: string,
  scenariosDir = join(dir, "what-ifs"),
  confidentialDir?: string,
): Round => {
  const data = loadDataSet(dir)
  const proposals = publicProposals(dir, data.proposals)
  const confidential =
    confidentialDir === undefined
      ? []
      : loadConfidential(confidentialDir, new Set(proposals.map((p) => p.id)))
  return { ...data, proposals, dir, scenarios: loadScenarios(scenariosDir, data), confidential }
}
