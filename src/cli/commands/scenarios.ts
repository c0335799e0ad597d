import { listScenarios, scenarioDetail } from "../../app/useCases/scenarios.ts"
import { parse, UsageError } from "../args.ts"
import { type Command, cliContext, json, type Output, ok } from "../context.ts"
import { field, rulesText } from "../render.ts"
import { renderTable } from "../table.ts"
import { pl, typed, unitText, years } from "../text.ts"
import { CONFIDENTIAL_HELP, DATA_OPTIONS } from "./dataOptions.ts"
import { SAVED_HELP, savedScenariosRun } from "./savedScenarios.ts"

/** pulje scenarios: the named scenarios and their pools; pulje scenarios saved: the user scenarios. */
const scenariosCommandRun = async (argv: readonly string[]): Promise<Output> => {
  if (argv[0] === "saved") return savedScenariosRun(argv.slice(1))
  const { values, positionals } = parse("scenarios", argv, DATA_OPTIONS, true)
  const ctx = cliContext(values)
  const { catalog } = ctx
  if (positionals.length > 1) throw new UsageError("vis ét scenarie ad gangen, fx pulje scenarios bc10-full")
  const [id] = positionals
  if (id !== undefined) {
    if (!catalog.scenarioIds().includes(id))
      throw new UsageError(`${id}: intet sådant scenarie; der er ${catalog.scenarioIds().join(", ")}`)
    const s = scenarioDetail(ctx, id)
    if (values.json) return json(s)
    return ok([
      `${s.id} – ${s.title}`,
      "",
      s.description,
      "",
      ...rulesText(s.rules, catalog.prices),
      ...(s.compareTo === undefined ? [] : [field("Sammenlign med", s.compareTo)]),
      "",
      "Kilder:",
      ...s.sources.map((x) => `- ${x}`),
      "",
      "Antagelser:",
      ...(s.assumptions.length ? s.assumptions.map((x) => `- ${x}`) : ["- ingen"]),
      "",
      `Løs det med: pulje solve --scenario ${s.id}`,
    ])
  }
  if (values.json) return json({ ...listScenarios(ctx), scenarios: catalog.scenarios })
  const h = pl(catalog.prices.poolPriceLevel)
  return ok([
    `Scenarier (standard: ${catalog.defaultScenario.id}; puljer i ${unitText()})`,
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
        s.rules.limits.service === undefined ? "ingen grænse" : typed(s.rules.limits.service),
        s.rules.limits.anlaeg === undefined ? "ingen grænse" : typed(s.rules.limits.anlaeg),
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
  summary: "de navngivne scenarier; saved: de gemte brugerscenarier",
  help: `pulje scenarios [ID] [--json]: de navngivne scenarier med puljer og krav

  ID    ét scenarie: beskrivelse, regler, kilder og antagelser (fx pulje scenarios bc10-full)
${CONFIDENTIAL_HELP}

${SAVED_HELP}`,
  run: scenariosCommandRun,
}
