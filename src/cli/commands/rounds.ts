import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { roundIds, roundsDir } from "../../app/rounds.ts"
import {
  importRound,
  RoundExists,
  roundAsWorkbook,
  roundTemplate,
  seedAsWorkbook,
  seedRoundFolder,
  type WorkbookFinding,
} from "../../app/useCases/roundFiles.ts"
import { loadDataSet } from "../../model/load.ts"
import { parse, UsageError } from "../args.ts"
import { type Command, cliContext, json, type Output, ok } from "../context.ts"
import { renderTable } from "../table.ts"
import { CONFIDENTIAL_HELP, ROUND_OPTIONS } from "./dataOptions.ts"

/** The rounds side by side, the template, import and seeding: the commands of the round workflow. */

const onePath = (positionals: readonly string[], command: string) => {
  const [file, ...rest] = positionals
  if (file === undefined || rest.length)
    throw new UsageError(`pulje ${command} tager én fil; se pulje ${command} --help`)
  return file
}

/** pulje rounds: the rounds beside each other. */
const roundsRun = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("rounds", argv, {
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  })
  const dir = roundsDir()
  const rounds = roundIds(dir).map((id) => {
    const d = loadDataSet(`${dir}/${id}`)
    return {
      id,
      title: d.config.title,
      proposals: d.proposals.length,
      tablePriceLevel: d.config.tablePriceLevel,
      poolPriceLevel: d.config.poolPriceLevel,
    }
  })
  if (values.json) return json({ rounds })
  return ok([
    "Runder (standard: ofs-2025-26)",
    renderTable(
      [
        { header: ["Runde"] },
        { header: ["Titel"], maxWidth: 60 },
        { header: ["Forslag"], align: "right" },
        { header: ["Tabeller"] },
        { header: ["Puljen"] },
      ],
      rounds.map((r) => [
        r.id,
        r.title,
        String(r.proposals),
        `${r.tablePriceLevel} p/l`,
        `${r.poolPriceLevel} p/l`,
      ]),
    ),
  ])
}

export const roundsCommand: Command = {
  name: "rounds",
  summary: "rundene side om side (hver med sine forslag, scenarier og prisniveauer)",
  help: `pulje rounds [--json]: rundene side om side

Hver runde er en mappe med round.json, overview.json, proposals/ og what-ifs/. Alle kommandoer
tager --round ID (standard: ofs-2025-26). Mappen med rundene: PULJE_ROUNDS_DIR, ellers scenarios/.`,
  run: roundsRun,
}

/** pulje template FIL: the empty template for a new round, or (--filled) a round's own data as a workbook. */
const templateRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, positionals } = parse(
    "template",
    argv,
    {
      data: ROUND_OPTIONS.data,
      round: ROUND_OPTIONS.round,
      help: ROUND_OPTIONS.help,
      filled: { type: "boolean" },
    },
    true,
  )
  const file = onePath(positionals, "template")
  const ctx = cliContext(values)
  writeFileSync(file, values.filled ? await roundAsWorkbook(ctx) : await roundTemplate(ctx))
  const id = ctx.catalog.round.config.id
  return ok(
    values.filled
      ? `Skrev runden ${id} (${ctx.catalog.round.proposals.length} forslag) som regneark: ${file}`
      : `Skrev skabelonen til en ny runde (prisniveauer som ${id}): ${file}\nUdfyld de gule celler og importér med: pulje import ${file} --round <id>`,
  )
}

export const templateCommand: Command = {
  name: "template",
  summary: "skriv regnearksskabelonen til en ny runde (eller --filled: en rundes egne data)",
  help: `pulje template FIL [--round ID] [--filled]: regnearksskabelonen til en ny runde

Ét ark pr. forslag som dokumentets Tabel 1, et oversigtsark og et rundeark (id, titel,
prisniveauer, prisindeks). Prisniveauerne og indekset tages fra --round (standard: ofs-2025-26).
  --filled   skriv rundens egne forslag i skabelonen (til at rette i og importere igen)`,
  run: templateRun,
}

const findingLines = (findings: readonly WorkbookFinding[]) => {
  const errors = findings.filter((f) => f.severity === "error")
  const unrecorded = findings.filter((f) => f.severity === "finding" && !f.recorded)
  const recorded = findings.filter((f) => f.severity === "finding" && f.recorded)
  return {
    errors,
    unrecorded,
    lines: [
      ...errors.map((f) => `FEJL  ${f.message}`),
      ...unrecorded.map((f) => `AFVIGER  ${f.message}`),
      ...(recorded.length
        ? [
            `${recorded.length} trykte tal afviger fra linjerne og er registreret som uoverensstemmelser i dokumentet (se --json).`,
          ]
        : []),
    ],
  }
}

/** pulje import FIL --round ID: read, validate and audit a round workbook; write it only when clean. */
const importRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, positionals } = parse(
    "import",
    argv,
    {
      round: { type: "string" },
      replace: { type: "boolean" },
      "accept-findings": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    true,
  )
  const file = onePath(positionals, "import")
  if (!existsSync(file)) throw new UsageError(`${file} findes ikke`)
  const out = await importRound(readFileSync(file), {
    ...(values.round === undefined ? {} : { round: values.round }),
    replace: values.replace ?? false,
    acceptFindings: values["accept-findings"] ?? false,
  })
  const code = out.status === "written" ? 0 : 3
  if (values.json) return json(out.status === "written" ? { ...out, round: out.round.config } : out, code)
  const { errors, unrecorded, lines } = findingLines(out.findings)
  const head =
    out.status === "written"
      ? `Importerede runden ${out.round.config.id} – ${out.round.config.title} (${out.round.proposals.length} forslag) til ${out.dir}.`
      : out.reason === "errors"
        ? `Intet er skrevet: filen har ${errors.length} fejl.`
        : out.reason === "unrecorded"
          ? `Intet er skrevet: ${unrecorded.length} trykte tal afviger fra linjerne uden at være registreret under Uoverensstemmelser. Ret dem, registrér dem, eller importér med --accept-findings.`
          : "Intet er skrevet: runden findes; brug --replace for at erstatte den (dens what-ifs bevares)."
  return { text: [head, ...lines].join("\n"), exitCode: code }
}

export const importCommand: Command = {
  name: "import",
  summary: "læs en runde fra et udfyldt regneark (intet skrives, hvis filen har fejl)",
  help: `pulje import FIL [--round ID] [--replace] [--accept-findings] [--json]: læs en runde fra regneark

Læser skabelonen (se pulje template), validerer hver celle og sammenligner de trykte totaler,
tilbagebetalingstider og oversigten med linjerne. Hvert fund nævnes med ark og celle.
Intet skrives, hvis der er fejl eller uregistrerede afvigelser; ellers skrives runden som mappe.
  --round ID           runden importeres som ID (ellers id'et på arket Runde)
  --replace            erstat en eksisterende runde (dens what-ifs bevares)
  --accept-findings    skriv selv om trykte tal afviger uden at være registreret
Slutkoder: 0 skrevet, 3 intet skrevet.`,
  run: importRun,
}

/** pulje seed --new ID --title T: a new round of the proposals the current round's package does not fund. */
const seedRun = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("seed", argv, {
    ...ROUND_OPTIONS,
    new: { type: "string" },
    title: { type: "string" },
    scenario: { type: "string" },
    xlsx: { type: "string" },
    replace: { type: "boolean" },
  })
  if (!values.new || !values.title) throw new UsageError("pulje seed kræver --new ID og --title TITEL")
  const ctx = cliContext(values)
  const input = {
    round: values.new,
    title: values.title,
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
    replace: values.replace ?? false,
  }
  const from = ctx.catalog.round.config.id
  if (values.xlsx) {
    const s = await seedAsWorkbook(ctx, input)
    writeFileSync(values.xlsx, s.bytes)
    return ok(
      `Skrev ${s.round.proposals.length} forslag fra ${from}, som ${s.scenario} ikke finansierer (${s.funded.join(", ")} er finansieret), i ${values.xlsx}.\nRet tallene og importér med: pulje import ${values.xlsx} --round ${values.new}`,
    )
  }
  try {
    const s = await seedRoundFolder(ctx, input)
    return ok(
      `Runden ${values.new} har ${s.round.proposals.length} forslag fra ${from}, som ${s.scenario} ikke finansierer (${s.funded.join(", ")} er finansieret): ${s.dir}`,
    )
  } catch (e) {
    if (e instanceof RoundExists) throw new UsageError(`runden ${values.new} findes; brug --replace`)
    throw e
  }
}

export const seedCommand: Command = {
  name: "seed",
  summary: "så en ny runde med de forslag, en pakke ikke finansierer",
  help: `pulje seed --new ID --title TITEL [--round FRA] [--scenario S] [--xlsx FIL] [--replace]

Løser scenariet (standard: rundens standardscenarie) og fører de forslag, pakken ikke finansierer,
over i en ny runde med deres tabeller og registrerede uoverensstemmelser. Oversigtens i alt-række
bliver summen af de overførte rækker.
  --xlsx FIL             skriv den nye runde som regneark i stedet for som mappe (til at rette og
                         importere)
${CONFIDENTIAL_HELP};
                         de konkurrerer om puljen, når pakken findes, men føres aldrig over`,
  run: seedRun,
}
