import { listScenarios } from "../../app/useCases/scenarios.ts"
import { parse } from "../args.ts"
import { type Command, cliContext, json, type Output, ok } from "../context.ts"
import { renderTable } from "../table.ts"
import { kr, pl, years } from "../text.ts"
import { DATA_OPTIONS, dataDir } from "./dataOptions.ts"

/** pulje scenarios: the named scenarios and their pools. */
const scenariosCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("scenarios", argv, DATA_OPTIONS)
  const ctx = cliContext(dataDir(values.data))
  const { catalog } = ctx
  if (values.json) return json({ ...listScenarios(ctx), scenarios: catalog.scenarios })
  const h = pl(catalog.prices.poolPriceLevel)
  return ok([
    `Scenarier (standard: ${catalog.defaultScenario.id}; puljer i 1.000 kr.)`,
    renderTable(
      [
        { header: ["Scenarie"] },
        { header: ["Titel"], maxWidth: 40 },
        { header: ["Service-pulje", h], align: "right" },
        { header: ["Anlægs-pulje", h], align: "right" },
        { header: ["Tilbagebetalingstid", "højst (år)"], align: "right" },
        { header: ["Skal med"] },
        { header: ["Sammenlign", "med"] },
      ],
      catalog.scenarios.map((s) => [
        s.id,
        s.title,
        s.rules.limits.service === undefined ? "ingen grænse" : kr(s.rules.limits.service),
        s.rules.limits.anlaeg === undefined ? "ingen grænse" : kr(s.rules.limits.anlaeg),
        s.rules.payback.maxYears === null ? "intet krav" : years(s.rules.payback.maxYears),
        s.rules.locks.map((l) => (l.variant ? `${l.proposal}:${l.variant}` : l.proposal)).join(", "),
        s.compareTo ?? "",
      ]),
    ),
    "",
    "Løs et scenarie med: pulje solve --scenario ID",
  ])
}

export const scenariosCommand: Command = {
  name: "scenarios",
  summary: "de navngivne scenarier",
  help: "pulje scenarios [--json]: de navngivne scenarier med puljer og krav",
  run: scenariosCommandRun,
}
