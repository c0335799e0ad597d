import { InvalidInput } from "../../app/errors.ts"
import { listProposals, type ProposalList } from "../../app/useCases/proposals.ts"
import { parse, UsageError } from "../args.ts"
import { type Command, cliContext, json, type Output, ok } from "../context.ts"
import { type Row, renderTable } from "../table.ts"
import { kr, pl, years } from "../text.ts"
import { DATA_OPTIONS, dataDir } from "./dataOptions.ts"

/** pulje proposals [--committee X] [--area service|anlaeg]: the proposals with their headline figures. */
const proposalsCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("proposals", argv, {
    ...DATA_OPTIONS,
    committee: { type: "string" },
    area: { type: "string" },
  })
  const ctx = cliContext(dataDir(values.data))
  const { catalog } = ctx
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
          `  ${v.id === "base" ? p.id : `${p.id} (${v.id})`}`,
          v.id === "base" ? p.title : `  ${v.label}`,
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

export const proposalsCommand: Command = {
  name: "proposals",
  summary: "forslagene med puljemidler, effekt og tilbagebetalingstid",
  help: `pulje proposals [--committee NAVN] [--area service|anlaeg] [--json]

  --committee NAVN       kun forslag fra udvalget (hele navnet eller en del, fx social)
  --area service|anlaeg  kun forslag med puljemidler i området`,
  run: proposalsCommandRun,
}
