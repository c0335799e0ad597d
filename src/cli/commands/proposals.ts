import type { ProposalDetail } from "../../app/catalog.ts"
import { InvalidInput } from "../../app/errors.ts"
import { listProposals, type ProposalList, proposalDetail } from "../../app/useCases/proposals.ts"
import { entryName } from "../../model/wording.ts"
import { parse, UsageError } from "../args.ts"
import { type Command, cliContext, json, type Output, ok } from "../context.ts"
import { field } from "../render.ts"
import { type Row, renderTable } from "../table.ts"
import { kr, number, pl, unitText, years } from "../text.ts"
import { CONFIDENTIAL_HELP, DATA_OPTIONS } from "./dataOptions.ts"

/** One proposal as a person reads it: who, what, each variant's figures per year, the audit. */
const detailText = (d: ProposalDetail): string[] => {
  const p = d.proposal
  const out = [
    `${p.id} – ${p.title}`,
    field("Udvalg", p.committee),
    field("Forvaltning", p.administration),
    "",
    p.summary,
    "",
  ]
  for (const [i, f] of d.figures.entries()) {
    const v = p.variants[i]
    if (!v) continue
    out.push(
      `${entryName(p.id, v.id)}: ${v.label} (${unitText()})`,
      field(
        "Puljemidler",
        `service ${kr(f.poolCostPool.service.total)}, anlæg ${kr(f.poolCostPool.anlaeg.total)} ${pl(f.poolPriceLevel)}`,
      ),
      field("Effektivisering", `${kr(f.permanentEffect)} pr. år v. fuld indfasning ${pl(f.tablePriceLevel)}`),
      field(
        "Tilbagebetalingstid",
        `${years(f.paybackYears.total)} år (totaløkonomi), ${years(f.paybackYears.service)} år (service)`,
      ),
      renderTable(
        [
          { header: ["År"] },
          { header: ["Service", pl(f.tablePriceLevel)], align: "right" },
          { header: ["Anlæg", pl(f.tablePriceLevel)], align: "right" },
          { header: ["Varig ændring", pl(f.tablePriceLevel)], align: "right" },
          { header: ["Økonomisk", "påvirkning", pl(f.tablePriceLevel)], align: "right" },
        ],
        v.years.map((y) => {
          const k = String(y)
          return [
            k,
            kr(f.poolCostTable.service.byYear[k]),
            kr(f.poolCostTable.anlaeg.byYear[k]),
            kr(f.permanentChangeByYear[k]),
            kr(f.netImpactByYear[k]),
          ]
        }),
      ),
      "",
    )
  }
  out.push(
    d.findings.length
      ? `Konsistenstjek: ${d.findings.length} fund, ${d.findings.filter((f) => f.recorded).length} registreret som fejl i dokumentet`
      : "Konsistenstjek: ingen fund",
    ...d.findings.map((f) => `- ${f.what}: trykt ${number(f.printed)}, beregnet ${number(f.computed)}`),
    `Anomalier registreret i data: ${p.anomalies.length}`,
  )
  return out
}

/** pulje proposals [--committee X] [--area service|anlaeg]: the proposals with their headline figures. */
const proposalsCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, positionals } = parse(
    "proposals",
    argv,
    { ...DATA_OPTIONS, committee: { type: "string" }, area: { type: "string" } },
    true,
  )
  const ctx = cliContext(values)
  const { catalog } = ctx
  if (positionals.length > 1) throw new UsageError(`vis ét forslag ad gangen, fx pulje proposals BC10`)
  const [id] = positionals
  if (id !== undefined) {
    if (!catalog.hasProposal(id.toUpperCase()))
      throw new UsageError(`${id}: intet sådant forslag; der er ${catalog.proposalIds().join(", ")}`)
    const detail = proposalDetail(ctx, id)
    return values.json ? json(detail) : ok(detailText(detail))
  }
  const committee = typeof values.committee === "string" ? values.committee : undefined
  const rawArea = typeof values.area === "string" ? values.area : undefined
  const area = rawArea === "anlæg" ? "anlaeg" : rawArea
  if (area !== undefined && area !== "service" && area !== "anlaeg")
    throw new UsageError(`--area ${rawArea}: vælg service eller anlaeg`)
  let result: ProposalList
  try {
    result = listProposals(ctx, { ...(committee ? { committee } : {}), ...(area ? { area } : {}) })
  } catch (e) {
    if (e instanceof InvalidInput)
      throw new UsageError(
        `--committee ${committee}: intet udvalg passer; der er ${catalog.committees.join(", ")}`,
      )
    throw e
  }
  const list = result.proposals
  if (values.json) return json(result)
  const rows: Row[] = []
  for (const committee of [...new Set(list.map((p) => p.committee))]) {
    rows.push({ section: committee })
    for (const p of list.filter((x) => x.committee === committee))
      for (const v of p.variants)
        rows.push([
          `  ${entryName(p.id, v.id)}`,
          v.id === "base" ? p.title : `${p.title} (variant ${v.id})`,
          kr(v.poolCostPool.service),
          kr(v.poolCostPool.anlaeg),
          kr(v.permanentEffect),
          years(v.paybackYears.total),
          years(v.paybackYears.service),
        ])
  }
  const h = pl(catalog.prices.poolPriceLevel)
  const tableLevel = catalog.prices.tablePriceLevel
  return ok([
    `Investeringsforslag (${list.length}): midler fra investeringspuljen og effekt (${unitText()})`,
    renderTable(
      [
        { header: ["Forslag"] },
        { header: ["Titel"], maxWidth: 56 },
        { header: ["Service", h], align: "right" },
        { header: ["Anlæg", h], align: "right" },
        { header: ["Effekt v. fuld", "indfasning", pl(tableLevel)], align: "right" },
        { header: ["Tilbage-", "betaling (år)", "totaløkonomi"], align: "right" },
        { header: ["Tilbage-", "betaling (år)", "service"], align: "right" },
      ],
      rows,
    ),
  ])
}

export const proposalsCommand: Command = {
  name: "proposals",
  summary: "forslagene med puljemidler, effekt og tilbagebetalingstid",
  help: `pulje proposals [BC10] [--committee NAVN] [--area service|anlaeg] [--unit t|mio] [--json]

  BC10                   ét forslag: udvalg, resumé, hver variants tal pr. år og konsistenstjek

  --committee NAVN       kun forslag fra udvalget (hele navnet eller en del, fx social)
  --area service|anlaeg  kun forslag med puljemidler i området
${CONFIDENTIAL_HELP}`,
  run: proposalsCommandRun,
}
