/**
 * Transcription aid: validate proposal files, print how their lines reconcile with the printed
 * totals, payback and overview row, and rewrite them in the repository's JSON layout.
 *   npx tsx scripts/check-proposal.ts BC05 BC06 ...   (no ids: all files)
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { auditOverviewRow, auditVariant, overviewFigures, overviewRows } from "../src/model/audit.ts"
import { formatDataJson } from "../src/model/dataFileLayout.ts"
import { DataFileError, parseDataFile } from "../src/model/load.ts"
import { RoundConfig } from "../src/model/round.ts"
import { Overview, Proposal } from "../src/model/schema.ts"

const dir = join(import.meta.dirname, "..", "scenarios", "ofs-2025-26")
const prices = RoundConfig.parse(JSON.parse(readFileSync(join(dir, "round.json"), "utf8")))
const overview = parseDataFile(Overview, "overview.json", readFileSync(join(dir, "overview.json"), "utf8"))
const rows = new Map(overviewRows(overview).map((r) => [r.id, r]))
const ids = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(join(dir, "proposals")).map((f) => f.replace(/\.json$/, ""))
let bad = 0
for (const id of ids) {
  const file = join(dir, "proposals", `${id}.json`)
  try {
    const p = parseDataFile(Proposal, file, readFileSync(file, "utf8"))
    writeFileSync(file, formatDataJson(p))
    console.log(
      `== ${id}: valid; ${p.variants.length} variant(s), ${p.anomalies.length} anomaly(ies) recorded`,
    )
    for (const v of p.variants) {
      const f = overviewFigures(v, prices)
      console.log(
        `   ${v.id}: pool service ${f.service.toFixed(1)} anlæg ${f.anlaeg.toFixed(1)} (${prices.poolPriceLevel} p/l), effect ${f.effectFullPhaseIn}, payback ${f.paybackYears}`,
      )
      for (const x of auditVariant(p, v))
        console.log(
          `   MISMATCH ${v.id} ${x.what}: printed ${x.printed}, computed ${x.computed}${x.recorded ? " (recorded)" : ""}`,
        )
    }
    const row = rows.get(p.id)
    if (row) {
      console.log(
        `   overview: service ${row.service} anlæg ${row.anlaeg} effect ${row.effectFullPhaseIn} payback ${row.paybackYears}`,
      )
      for (const x of auditOverviewRow(p, row, prices))
        console.log(
          `   MISMATCH ${x.what}: printed ${x.printed}, computed ${x.computed}${x.recorded ? " (recorded)" : ""}`,
        )
    }
  } catch (e) {
    bad++
    console.log(`== ${id}: INVALID ${e instanceof DataFileError ? e.message : String(e)}`)
  }
}
process.exitCode = bad ? 1 : 0
