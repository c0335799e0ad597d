import {
  diffPackage,
  listPackages,
  packageVersions,
  reopenPackage,
  savePackage,
  storeOf,
  updatePackage,
} from "../../app/useCases/savedPackages.ts"
import { parse, parseEntryArg, parseInteger, UsageError } from "../args.ts"
import { type CliContext, type Command, json, type Output, ok, storeContext } from "../context.ts"
import { field, figuresText } from "../render.ts"
import { renderTable } from "../table.ts"
import { kr, pl, utcMinute } from "../text.ts"

const OPTIONS = {
  name: { type: "string" },
  scenario: { type: "string" },
  note: { type: "string" },
  id: { type: "string" },
  version: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  confidential: { type: "string" },
  data: { type: "string" },
  round: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

const entryText = (e: { proposal: string; variant: string }) =>
  e.variant === "base" ? e.proposal : `${e.proposal}:${e.variant}`

const list = async (ctx: CliContext, asJson: boolean): Promise<Output> => {
  const r = await listPackages(ctx)
  if (asJson) return json(r)
  if (!r.count) return ok("Ingen gemte pakker.")
  return ok([
    `Gemte pakker (${r.count}; målværdi i 1.000 kr. ${pl(ctx.catalog.prices.tablePriceLevel)})`,
    renderTable(
      [
        { header: ["Id"] },
        { header: ["Navn"], maxWidth: 40 },
        { header: ["Version"], align: "right" },
        { header: ["Målværdi"], align: "right" },
        { header: ["Gemt (UTC)"] },
        { header: ["Af nøgle"] },
      ],
      r.packages.map((p) => [
        p.id,
        p.name,
        String(p.version),
        kr(p.figures?.objective),
        utcMinute(p.savedAt),
        p.savedBy ?? "-",
      ]),
    ),
  ])
}

const here = (ctx: CliContext) => ctx.catalog.round.config.id
/** A package saved in another round than the command's (one saved before rounds existed is of none). */
const elsewhere = (ctx: CliContext, round: string | undefined): round is string =>
  round !== undefined && round !== here(ctx)

const roundLine = (round: string | undefined) => (round === undefined ? [] : [field("Runde", round)])

const show = async (
  ctx: CliContext,
  id: string,
  version: number | undefined,
  asJson: boolean,
): Promise<Output> => {
  if (version !== undefined) {
    const v = (await packageVersions(ctx, id)).versions.find((x) => x.version === version)
    if (!v) throw new UsageError(`pakke ${id} har ingen version ${version}`)
    if (asJson) return json(v)
    return ok([
      field("Pakke", `${v.id} – ${v.name} (version ${v.version})`),
      ...roundLine(v.body.round),
      field("Scenarie", v.body.scenario),
      field("Forslag", v.body.package.map(entryText).join(", ")),
      ...figuresText(v.figures, ctx.catalog.prices.tablePriceLevel),
    ])
  }
  const p = await reopenPackage(ctx, id)
  if (asJson) return json(p)
  return ok([
    field("Pakke", `${p.id} – ${p.name} (version ${p.version})`),
    ...roundLine(p.body.round),
    field("Scenarie", p.body.scenario),
    field("Forslag", p.body.package.map(entryText).join(", ")),
    field("Gemt", `${utcMinute(p.savedAt)} UTC af ${p.savedBy ?? "kommandolinjen"}`),
    ...(p.note ? [field("Note", p.note)] : []),
    "",
    "Tallene som de blev vist, da pakken blev gemt:",
    ...figuresText(p.figures, ctx.catalog.prices.tablePriceLevel),
    ...(elsewhere(ctx, p.body.round)
      ? [
          "",
          `Pakken er gemt i runden ${p.body.round}, ikke ${here(ctx)}: vis den med --round ${p.body.round}.`,
        ]
      : p.current.dataChanged
        ? [
            "",
            p.current.notice ?? "",
            "Tallene i dag:",
            ...figuresText(p.current.figures, ctx.catalog.prices.tablePriceLevel),
          ]
        : ["", "Data er uændret siden pakken blev gemt."]),
  ])
}

const save = async (
  ctx: CliContext,
  values: Record<string, unknown>,
  positionals: string[],
): Promise<Output> => {
  const name = typeof values.name === "string" ? values.name : undefined
  if (!name)
    throw new UsageError("pulje packages save skal have --name NAVN og forslagene, fx BC05 BC10:scenario-2")
  const entries = positionals
    .flatMap((p) => p.split(","))
    .filter(Boolean)
    .map((p) => parseEntryArg("", p))
  const input = {
    name,
    package: entries,
    note: typeof values.note === "string" ? values.note : "",
    ...(typeof values.scenario === "string" ? { scenario: values.scenario } : {}),
  }
  const id = typeof values.id === "string" ? values.id : undefined
  const p = id === undefined ? await savePackage(ctx, input) : await updatePackage(ctx, id, input)
  if (values.json) return json(p)
  return ok([
    `Gemt: pakke ${p.id}, version ${p.version} (${p.name}).`,
    ...figuresText(p.figures, ctx.catalog.prices.tablePriceLevel),
  ])
}

const diff = async (
  ctx: CliContext,
  id: string,
  from: number | undefined,
  to: number | undefined,
  asJson: boolean,
) => {
  const d = await diffPackage(ctx, id, from, to)
  if (asJson) return json(d)
  const lines = [`Pakke ${d.id}: version ${d.from} → ${d.to}`]
  if (d.scenario) lines.push(field("Scenarie", `${d.scenario.from} → ${d.scenario.to}`))
  lines.push(field("Tilføjet", d.added.map(entryText).join(", ") || "intet"))
  lines.push(field("Fjernet", d.removed.map(entryText).join(", ") || "intet"))
  for (const c of d.changedVariant) lines.push(field("Anden variant", `${c.proposal}: ${c.from} → ${c.to}`))
  lines.push(field("Målværdi", `${kr(d.objective.from)} → ${kr(d.objective.to)}`))
  return ok(lines)
}

/** pulje packages list|show|save|diff: saved packages, in versions. */
const packagesCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, positionals } = parse("packages", argv, OPTIONS, true)
  const [sub, ...rest] = positionals
  const int = (flag: string, v: string | undefined) =>
    v === undefined ? undefined : parseInteger(flag, v, 1, 1_000_000)
  const ctx = storeContext(values)
  try {
    const asJson = values.json === true
    const needId = () => {
      if (!rest[0]) throw new UsageError(`pulje packages ${sub} skal have en pakkes id`)
      return rest[0]
    }
    switch (sub) {
      case "list":
        return await list(ctx, asJson)
      case "show":
        return await show(ctx, needId(), int("--version", values.version), asJson)
      case "save":
        return await save(ctx, values, rest)
      case "diff":
        return await diff(ctx, needId(), int("--from", values.from), int("--to", values.to), asJson)
      default:
        throw new UsageError(`pulje packages ${sub ?? ""}: skriv list, show ID, save eller diff ID`)
    }
  } finally {
    await storeOf(ctx).close()
  }
}

export const packagesCommand: Command = {
  name: "packages",
  summary: "gemte pakker: list, show, save, diff",
  help: `pulje packages list|show|save|diff: gemte pakker i versioner

  pulje packages list                         de gemte pakker (nyeste version af hver)
  pulje packages show ID [--version N]        en pakke med tallene som vist, og dagens hvis data er ændret
  pulje packages save --name NAVN [--scenario S] [--note T] [--id ID] BC05 BC10:scenario-2 ...
                                              gem en ny pakke, eller en ny version af ID
  pulje packages diff ID [--from N] [--to N]  hvad er ændret mellem to versioner (standard: de to nyeste)

Gemmes i PULJE_DATA_DIR (standard ./var), de samme i alle runder; en pakke gemmes i runden fra
--round ID (eller --data DIR; standard: standardrunden) og vises og vurderes dér, som under
/rounds/ID/packages i REST-API'et. --confidential DIR (eller PULJE_CONFIDENTIAL_DIR)
tager de fortrolige forslag med. --json giver maskinlæsbart output.`,
  run: packagesCommandRun,
}
