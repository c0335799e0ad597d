import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { formatDataJson } from "../model/dataFileLayout.ts"
import { type DataSet, loadDataSet } from "../model/load.ts"
import type { RoundConfig } from "../model/round.ts"
import type { Overview } from "../model/schema.ts"
import type { WorkbookFinding } from "./findings.ts"
import { readRoundWorkbook } from "./readWorkbook.ts"
import type { PoolLimits } from "./roundWorkbook.ts"

/** The files a round workbook produces; everything else in a round folder (what-ifs, extras) is kept on replace. */
const OWN = new Set(["round.json", "overview.json", "proposals"])

/** A round folder that exists and was not to be replaced. */
export class RoundExists extends Error {
  constructor(readonly dir: string) {
    super(`round folder ${dir} exists`)
    this.name = "RoundExists"
  }
}

/**
 * Write `round` as `roundsDir/<id>/` (round.json, overview.json, proposals/<ID>.json, what-ifs/):
 * first into a temporary folder beside it, read back and validated there, then renamed into
 * place, so a failure leaves the old folder as it was. With `replace`, an existing round's
 * what-ifs and other extra files are carried over; `extras` are further files of the new round
 * (name → JSON value, e.g. "uncertainty.json").
 */
export const writeRoundFolder = (
  roundsDir: string,
  round: DataSet,
  options: { replace?: boolean; extras?: Readonly<Record<string, unknown>>; limits?: PoolLimits } = {},
) => {
  const target = join(roundsDir, round.config.id)
  const exists = existsSync(target)
  if (exists && !options.replace) throw new RoundExists(target)
  mkdirSync(roundsDir, { recursive: true })
  const stamp = `${process.pid}-${Date.now()}`
  const tmp = join(roundsDir, `.${round.config.id}.new-${stamp}`)
  try {
    mkdirSync(join(tmp, "proposals"), { recursive: true })
    writeFileSync(join(tmp, "round.json"), formatDataJson(round.config))
    writeFileSync(join(tmp, "overview.json"), formatDataJson(round.overview))
    for (const p of round.proposals) writeFileSync(join(tmp, "proposals", `${p.id}.json`), formatDataJson(p))
    for (const [name, value] of Object.entries(options.extras ?? {}))
      writeFileSync(join(tmp, name), formatDataJson(value))
    if (exists)
      for (const f of readdirSync(target))
        if (!OWN.has(f)) cpSync(join(target, f), join(tmp, f), { recursive: true })
    mkdirSync(join(tmp, "what-ifs"), { recursive: true })
    if (!readdirSync(join(tmp, "what-ifs")).some((f) => f.endsWith(".json")))
      writeFileSync(
        join(tmp, "what-ifs", `${round.config.id}.json`),
        formatDataJson(defaultWhatIf(round, options.limits ?? {})),
      )
    loadDataSet(tmp)
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true })
    throw e
  }
  if (exists) {
    const old = join(roundsDir, `.${round.config.id}.old-${stamp}`)
    renameSync(target, old)
    renameSync(tmp, target)
    rmSync(old, { recursive: true, force: true })
  } else renameSync(tmp, target)
  return target
}

/**
 * The what-if a new round starts with, so that every command has a default scenario: the rules'
 * defaults (payback at most 6 years) and no pool limits yet, saying so.
 */
const defaultWhatIf = (round: DataSet, limits: PoolLimits) => {
  const set = limits.service !== undefined || limits.anlaeg !== undefined
  return {
    id: round.config.id,
    title: `${round.config.title}: standardregler`,
    description: set
      ? "Written when the round was created: the default rules and the pools of the workbook's Runde sheet (1.000 kr. in the pool's price level)."
      : "Written when the round was created: the default rules and no pool limits yet. Set the pools (limits, 1.000 kr. in the pool's price level) here or as overrides.",
    sources: set ? ["The round workbook's Runde sheet (Service-pulje, Anlægs-pulje)."] : [],
    assumptions: set ? [] : ["ASSUMPTION: no pool limits until they are set."],
    rules: { poolPriceLevel: round.config.poolPriceLevel, ...(set ? { limits } : {}) },
  }
}

export interface ImportOptions {
  /** Import as this round id (replaces the id on the Runde sheet). */
  readonly roundId?: string
  /** Replace an existing round of that id (its what-ifs and extra files are kept). */
  readonly replace?: boolean
  /** Write even when printed figures differ from the lines and no anomaly records it. */
  readonly acceptFindings?: boolean
}

export type ImportOutcome =
  | {
      readonly status: "written"
      readonly dir: string
      readonly round: DataSet
      readonly findings: readonly WorkbookFinding[]
    }
  | {
      readonly status: "rejected"
      /** errors: values missing or malformed; unrecorded: figures disagree and no anomaly records it; exists: the round exists. */
      readonly reason: "errors" | "unrecorded" | "exists"
      readonly findings: readonly WorkbookFinding[]
    }

/**
 * Import a round workbook into `roundsDir`: read, validate and audit it; write nothing when it
 * has errors, when printed figures disagree with the lines without a recorded anomaly (unless
 * `acceptFindings`), or when the round exists (unless `replace`). Every finding is returned.
 */
export const importRoundWorkbook = async (
  bytes: Uint8Array | ArrayBuffer,
  roundsDir: string,
  options: ImportOptions = {},
): Promise<ImportOutcome> => {
  const read = await readRoundWorkbook(
    bytes,
    options.roundId === undefined ? {} : { roundId: options.roundId },
  )
  const { findings } = read
  if (!read.round) return { status: "rejected", reason: "errors", findings }
  if (!options.acceptFindings && findings.some((f) => f.severity === "finding" && !f.recorded))
    return { status: "rejected", reason: "unrecorded", findings }
  try {
    const dir = writeRoundFolder(roundsDir, read.round, {
      ...(options.replace ? { replace: true } : {}),
      ...(read.limits ? { limits: read.limits } : {}),
    })
    return { status: "written", dir, round: read.round, findings }
  } catch (e) {
    if (e instanceof RoundExists) return { status: "rejected", reason: "exists", findings }
    throw e
  }
}

/**
 * A new round seeded from `current`: the proposals not in `funded` (proposal ids) carried over
 * with their tables, anomalies and overview rows as they are. The overview's total row is the
 * sum of the carried rows (it is no longer the printed one, so the anomalies about the printed
 * total row are dropped).
 */
export const seedRound = (
  current: DataSet,
  funded: Iterable<string>,
  config: Pick<RoundConfig, "id" | "title">,
): DataSet => {
  const out = new Set(funded)
  const proposals = current.proposals.filter((p) => !out.has(p.id))
  const committees = current.overview.committees
    .map((c) => ({ name: c.name, rows: c.rows.filter((r) => !out.has(r.id)) }))
    .filter((c) => c.rows.length > 0)
  const rows = committees.flatMap((c) => c.rows)
  const sum = (k: "service" | "anlaeg" | "effectFullPhaseIn") => rows.reduce((s, r) => s + r[k], 0)
  const overview: Overview = {
    caption: current.overview.caption,
    committees,
    total: {
      service: sum("service"),
      anlaeg: sum("anlaeg"),
      effectFullPhaseIn: sum("effectFullPhaseIn"),
      paybackPrinted: current.overview.total.paybackPrinted,
    },
    anomalies: current.overview.anomalies.filter((a) => a.kind !== "total-mismatch"),
  }
  return { config: { ...current.config, ...config }, proposals, overview }
}
