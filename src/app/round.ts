import { basename, join } from "node:path"
import {
  DataFileError,
  type DataSet,
  jsonFilesIn,
  loadDataSet,
  parseDataFile,
  readDataText,
} from "../model/load.ts"
import type { RoundConfig } from "../model/round.ts"
import { Scenario } from "../solver/scenario.ts"

/** A whole round: its settings, proposals and overview, and its named what-ifs (scenarios). */
export interface Round extends DataSet {
  /** The folder it was loaded from. */
  readonly dir: string
  readonly scenarios: readonly Scenario[]
}

/**
 * Load every `*.json` in `dir` as a scenario, validating each; the file name must be the id, and
 * a scenario without a pool price level gets the round's.
 */
const loadScenarios = (dir: string, config: RoundConfig): Scenario[] => {
  const list = jsonFilesIn(dir).map((f) => {
    const file = join(dir, f)
    const s = parseDataFile(Scenario, file, readDataText(file))
    if (`${s.id}.json` !== basename(f))
      throw new DataFileError(file, [{ path: "id", message: `id "${s.id}" does not match the file name` }])
    return { ...s, rules: { ...s.rules, poolPriceLevel: s.rules.poolPriceLevel ?? config.poolPriceLevel } }
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
 * `what-ifs/*.json` (or `scenariosDir`). Every file is validated; a bad one is a DataFileError
 * naming file and field.
 */
export const loadRound = (dir: string, scenariosDir = join(dir, "what-ifs")): Round => {
  const data = loadDataSet(dir)
  return { ...data, dir, scenarios: loadScenarios(scenariosDir, data.config) }
}
