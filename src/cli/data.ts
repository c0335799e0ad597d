import { POOL_PRICE_LEVEL } from "../api/catalog.ts"
import { parse, UsageError } from "./args.ts"
import { context, json, type Output, ok } from "./context.ts"
import { type Row, renderTable } from "./table.ts"
import { kr, number, pl, years } from "./text.ts"

const common = {
  json: { type: "boolean" },
  data: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

const dataDir = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined)

/** pulje audit: every place the document's printed figures differ from what its lines give. */
export const auditCommand = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("audit", argv, common)
  const { catalog } = context(dataDir(values.data))
  const findings = catalog.findings
  const recorded = findings.filter((f) => f.recorded).length
  const summary = { findings: findings.length, recorded, unexplained: findings.length - recorded }
  if (values.json) return json({ findings, summary })
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
    "Konsistenstjek: trykte tal mod tallene i linjerne (1.000 kr.; prisniveau som i hvert forslags tabel, oversigtens puljer i 2026 p/l)",
    table,
    "",
    `${summary.findings} fund: ${summary.recorded} registreret i forslagenes anomalier, ${summary.unexplained} uforklarede.`,
  ])
}

/** pulje proposals [--committee X] [--area service|anlaeg]: the proposals with their headline figures. */
export const proposalsCommand = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("proposals", argv, {
    ...common,
    committee: { type: "string" },
    area: { type: "string" },
  })
  const { catalog } = context(dataDir(values.data))
  let list = catalog.summaries
  if (typeof values.committee === "string") {
    const want = values.committee.toLocaleLowerCase("da")
    const names = catalog.committees.filter((c) => c.toLocaleLowerCase("da").includes(want))
    if (!names.length)
      throw new UsageError(
        `--committee ${values.committee}: intet udvalg passer; der er ${catalog.committees.join(", ")}`,
      )
    list = list.filter((p) => names.includes(p.committee))
  }
  if (typeof values.area === "string") {
    const area = values.area === "anlæg" ? "anlaeg" : values.area
    if (area !== "service" && area !== "anlaeg")
      throw new UsageError(`--area ${values.area}: vælg service eller anlaeg`)
    list = list.filter((p) => p.variants.some((v) => v.poolCostPool[area] > 0))
  }
  if (values.json) return json({ count: list.length, proposals: list })
  const rows: Row[] = []
  for (const committee of [...new Set(list.map((p) => p.committee))]) {
    rows.push({ section: committee })
    for (const p of list.filter((x) => x.committee === committee))
      for (const v of p.variants)
        rows.push([
          `  ${v.id === "base" ? p.id : `${p.id} (${v.id})`}`,
          v.id === "base" ? p.title : `  ${v.label}`,
          kr(v.poolCostPool.service),
          kr(v.poolCostPool.anlaeg),
          kr(v.permanentEffect),
          years(v.paybackYears.total),
          years(v.paybackYears.service),
        ])
  }
  const h = pl(POOL_PRICE_LEVEL)
  const tableLevel = catalog.data.proposals[0]?.variants[0]?.priceLevel ?? 2027
  return ok([
    `Investeringsforslag (${list.length}): midler fra investeringspuljen og effekt (1.000 kr.)`,
    renderTable(
      [
        { header: ["Forslag"] },
        { header: ["Titel"], maxWidth: 56 },
        { header: ["Service", h], align: "right" },
        { header: ["Anlæg", h], align: "right" },
        { header: ["Effektivisering v.", "fuld indfasning", pl(tableLevel)], align: "right" },
        { header: ["Tilbagebetalingstid", "(år), totaløkonomi"], align: "right" },
        { header: ["Tilbagebetalingstid", "(år), service"], align: "right" },
      ],
      rows,
    ),
  ])
}

/** pulje scenarios: the named scenarios and their pools. */
export const scenariosCommand = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("scenarios", argv, common)
  const { catalog } = context(dataDir(values.data))
  if (values.json)
    return json({
      defaultScenario: catalog.defaultScenario.id,
      scenarios: catalog.scenarios,
    })
  const h = pl(POOL_PRICE_LEVEL)
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
