import { comparePackages } from "../../app/useCases/comparePackages.ts"
import type { PackageEntry } from "../../solver/evaluate.ts"
import { parse, parseEntryArg, UsageError } from "../args.ts"
import { type Command, cliContext, json, type Output } from "../context.ts"
import { knownProposal, knownVariant, scenarioOf, settingsOf } from "../options.ts"
import { differenceText } from "../render.ts"
import { type Row, renderTable } from "../table.ts"
import { kr, pl, unitText } from "../text.ts"
import { DATA_OPTIONS } from "./dataOptions.ts"

/** pulje compare --scenario A --scenario B [--package BC05,BC07 ...]: side by side, against the first. */
const compareCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, tokens } = parse("compare", argv, {
    scenario: { type: "string", multiple: true },
    package: { type: "string", multiple: true },
    engine: { type: "string" },
    "time-limit": { type: "string" },
    ...DATA_OPTIONS,
  })
  const ctx = cliContext(values)
  type Item = { scenario?: string; package?: PackageEntry[]; label?: string }
  const items = (tokens ?? []).flatMap((t): Item[] => {
    if (t.kind !== "option" || t.value === undefined) return []
    if (t.name === "scenario") return [{ scenario: scenarioOf(ctx, t.value).id }]
    if (t.name === "package") {
      const entries = t.value
        .split(/[,\s]+/)
        .filter(Boolean)
        .map((p) => parseEntryArg("--package ", p))
      for (const e of entries) {
        knownProposal(ctx, "--package", e.proposal)
        knownVariant(ctx, "--package", e.proposal, e.variant)
      }
      return [{ package: entries, label: `pakke (${entries.map((e) => e.proposal).join(", ")})` }]
    }
    return []
  })
  if (items.length < 2)
    throw new UsageError("compare skal have mindst to: --scenario A --scenario B (eller --package BC05,BC07)")
  const r = await comparePackages(ctx, { items, ...settingsOf(values) })
  if (values.json) return json(r)
  const c = r.comparison
  const h = pl(ctx.catalog.prices.poolPriceLevel)
  const rows: Row[] = c.labels.map((label, i) => [
    label,
    r.items[i]?.kind === "package"
      ? r.items[i]?.feasible
        ? "overholder reglerne"
        : "bryder reglerne"
      : r.items[i]?.status === "optimal"
        ? "optimal (bevist)"
        : "ikke bevist optimal",
    kr(c.permanentEffect[i]),
    i === 0 ? "" : differenceText(c.objectiveDelta[i] ?? 0, false),
    kr(c.pool[i]?.service),
    kr(c.pool[i]?.anlaeg),
    i === 0 ? "" : kr(c.poolDelta[i]?.service),
    i === 0 ? "" : kr(c.poolDelta[i]?.anlaeg),
  ])
  const out = [
    `Sammenligning (${unitText()}; forskelle mod den første)`,
    renderTable(
      [
        { header: ["Pakke"], maxWidth: 40 },
        { header: ["Status"] },
        {
          header: ["Effektivisering v.", "fuld indfasning", pl(ctx.catalog.prices.tablePriceLevel)],
          align: "right",
        },
        {
          header: ["Forskel i besparelse", "pr. år mod den første", pl(ctx.catalog.prices.tablePriceLevel)],
          align: "right",
        },
        { header: ["Service", h], align: "right" },
        { header: ["Anlæg", h], align: "right" },
        { header: ["Forskel", "service", h], align: "right" },
        { header: ["Forskel", "anlæg", h], align: "right" },
      ],
      rows,
    ),
    "",
  ]
  if (c.differences.length) {
    out.push(
      "Forslag der er med forskelligt (variant, eller – når det ikke er med)",
      renderTable(
        [{ header: ["Forslag"] }, ...c.labels.map((l) => ({ header: [l], maxWidth: 28 }))],
        c.differences.map((d) => [d.proposal, ...d.variants.map((v) => v ?? "–")]),
      ),
    )
  } else out.push("Pakkerne indeholder de samme forslag.")
  return { text: out.join("\n"), exitCode: 0 }
}

export const compareCommand: Command = {
  name: "compare",
  summary: "sammenlign scenarier og pakker: --scenario A --scenario B",
  help: `pulje compare --scenario A --scenario B [--package BC05,BC07 ...]: side om side

  --scenario ID          et scenaries optimum; kan gentages
  --package LISTE        en håndplukket pakke under standardscenariets regler; kan gentages
  --engine, --time-limit, --json, --data, --round, --confidential som ved solve
Forskellene regnes mod den første.`,
  run: compareCommandRun,
}
