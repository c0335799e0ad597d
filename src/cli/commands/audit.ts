import { auditReport } from "../../app/useCases/audit.ts"
import { parse } from "../args.ts"
import { type Command, cliContext, json, type Output, ok } from "../context.ts"
import { renderTable } from "../table.ts"
import { number } from "../text.ts"
import { CONFIDENTIAL_HELP, DATA_OPTIONS, ROUND_OPTIONS } from "./dataOptions.ts"

/** pulje audit: every place the document's printed figures differ from what its lines give. */
const auditCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("audit", argv, { ...ROUND_OPTIONS, json: DATA_OPTIONS.json })
  const ctx = cliContext(values)
  const report = auditReport(ctx)
  const { findings, summary } = report
  if (values.json) return json(report)
  const table = renderTable(
    [
      { header: ["Forslag"] },
      { header: ["Variant"] },
      { header: ["Hvad"], maxWidth: 60 },
      { header: ["Trykt"], align: "right" },
      { header: ["Beregnet"], align: "right" },
      { header: ["Registreret", "i anomalier"] },
    ],
    findings.map((f) => [
      f.proposal,
      f.variant ?? "",
      f.what,
      number(f.printed),
      number(f.computed),
      f.recorded ? "ja" : "NEJ",
    ]),
  )
  return ok([
    `Konsistenstjek: trykte tal mod tallene i linjerne (1.000 kr.; prisniveau som i hvert forslags tabel, oversigtens puljer i ${ctx.catalog.prices.poolPriceLevel} p/l)`,
    table,
    "",
    `${summary.findings} fund: ${summary.recorded} registreret i forslagenes anomalier, ${summary.unexplained} uforklarede.`,
  ])
}

export const auditCommand: Command = {
  name: "audit",
  summary: "konsistenstjek af dokumentets trykte tal",
  help: `pulje audit [--round ID] [--json]: konsistenstjek

Én række pr. sted hvor et trykt tal (totaler, tilbagebetalingstid, oversigten) afviger fra det,
forslagets linjer giver, og om forslagets anomaliliste registrerer det. Til sidst en optælling.
Beløbene står i 1.000 kr., som dokumentet trykker dem.

  --round ID             en anden runde (standard: ofs-2025-26; se pulje rounds)
  --data DIR             en runde i mappen DIR (round.json, overview.json, proposals/)
${CONFIDENTIAL_HELP}
  --json                 JSON til scripts i stedet for tabellen`,
  run: auditCommandRun,
}
