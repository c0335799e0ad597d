import { Conflict, NotFound } from "../../app/errors.ts"
import { decode } from "../../app/rawJson.ts"
import { changesSentence, ruleChanges } from "../../app/ruleChanges.ts"
import type { ShownFigures } from "../../app/storage.ts"
import { storeOf } from "../../app/useCases/savedPackages.ts"
import {
  deleteSavedScenario,
  describeVersion,
  listSavedScenariosWithBase,
  missingInRound,
  otherRoundNotice,
  SaveScenarioInput,
  savedScenario,
  savedScenarioVersions,
  saveScenario,
  solveUserScenario,
  updateScenario,
  userScenarioContext,
  userScenarioVersion,
} from "../../app/useCases/savedScenarios.ts"
import { poolPriceLevelOf } from "../../solver/rules.ts"
import { parse, parseInteger, parseUnit, schemaUsageError, UsageError } from "../args.ts"
import { type CliContext, json, type Output, ok, storeContext } from "../context.ts"
import { RULE_HELP, RULE_OPTIONS, rulesPatch, scenarioOf, settingsOf, str } from "../options.ts"
import { field, figuresText } from "../render.ts"
import { renderTable } from "../table.ts"
import { kr, pl, showAmountsIn, typed, unitText, utcMinute } from "../text.ts"
import { objectiveOf, solveText } from "./solve.ts"

/** `pulje scenarios saved`: the user scenarios (named what-ifs saved in versions) from the command line. */

const OPTIONS = {
  ...RULE_OPTIONS,
  title: { type: "string" },
  description: { type: "string" },
  note: { type: "string" },
  id: { type: "string" },
  version: { type: "string" },
  "base-version": { type: "string" },
} as const

type Values = ReturnType<typeof parse<typeof OPTIONS>>["values"]

const who = (savedBy: string | null) => savedBy ?? "kommandolinjen"

/** A saved optimum's figures; none when no package kept the rules (or the time ran out). */
const optimumLines = (ctx: CliContext, f: ShownFigures | null): string[] =>
  f === null
    ? ["Ingen pakke: reglerne kan ikke alle overholdes, eller tidsgrænsen blev nået."]
    : figuresText(f, ctx.catalog.prices.tablePriceLevel, false)

/** A version's rules against its base scenario's, in the page's words: "Uden BC05; puljen til anlæg 80.000 (1.000 kr., 2026 p/l)". */
const changesOf = (ctx: CliContext, v: Awaited<ReturnType<typeof userScenarioVersion>>): string[] => {
  if (v.base === null) return [`bygger på scenariet ${v.body.basedOn}, som ikke findes i runden længere`]
  const { prices } = ctx.catalog
  return ruleChanges(
    v.base.rules,
    v.rules,
    { amount: typed, unitName: unitText() },
    poolPriceLevelOf(v.rules, prices),
    prices.tablePriceLevel,
  )
}

/** Why a version cannot be solved in this round, in Danish; null when it can. */
const unsolvable = (ctx: CliContext, v: Awaited<ReturnType<typeof userScenarioVersion>>): string | null => {
  if (v.base === null) return changesOf(ctx, v)[0] ?? null
  const missing = missingInRound(ctx, v.rules)
  return missing === null ? null : `reglerne ${missing}`
}

/** " i runden anden" for a version that kept the round it was saved in. */
const inRound = (round: string | undefined) => (round === undefined ? "" : ` i runden ${round}`)

/** The lines that say what a version is: its title, base scenario and changes; saved in another round, that too. */
const about = (ctx: CliContext, v: Awaited<ReturnType<typeof userScenarioVersion>>): string[] => {
  const elsewhere = otherRoundNotice(ctx, v.body)
  return [
    field("Brugerscenarie", `${v.saved.id} – ${v.saved.name} (version ${v.saved.version} af ${v.latest})`),
    field("Bygger på", v.base ? `${v.base.id} – ${v.base.title}` : v.body.basedOn),
    field("Ændringer", changesSentence(changesOf(ctx, v))),
    ...(v.body.description ? [field("Beskrivelse", v.body.description)] : []),
    ...(v.saved.note ? [field("Note", v.saved.note)] : []),
    ...(elsewhere === null ? [] : [elsewhere]),
  ]
}

const list = async (ctx: CliContext, asJson: boolean): Promise<Output> => {
  const r = await listSavedScenariosWithBase(ctx)
  if (asJson) return json(r)
  if (!r.count) return ok("Ingen gemte brugerscenarier. Gem et med: pulje scenarios saved save --title T ...")
  return ok([
    `Gemte brugerscenarier (${r.count}; målværdi i ${unitText()} ${pl(ctx.catalog.prices.tablePriceLevel)}, som da de blev gemt)`,
    renderTable(
      [
        { header: ["Id"] },
        { header: ["Titel"], maxWidth: 40 },
        { header: ["Bygger på"] },
        { header: ["Version"], align: "right" },
        { header: ["Målværdi"], align: "right" },
        { header: ["Gemt (UTC)"] },
        { header: ["Af nøgle"] },
      ],
      r.scenarios.map((s) => [
        s.id,
        s.name,
        s.basedOn ?? "?",
        String(s.version),
        kr(s.figures?.objective),
        utcMinute(s.savedAt),
        s.savedBy ?? "-",
      ]),
    ),
  ])
}

const show = async (ctx: CliContext, id: string, version: number | undefined, asJson: boolean) => {
  const v = await userScenarioVersion(ctx, id, version)
  const changes = changesOf(ctx, v)
  const head = [
    ...about(ctx, v),
    field("Gemt", `${utcMinute(v.saved.savedAt)} UTC af ${who(v.saved.savedBy)}${inRound(v.body.round)}`),
    "",
    "Optimum som det var, da denne version blev gemt:",
    ...optimumLines(ctx, v.saved.figures),
  ]
  if (version !== undefined && version !== v.latest) {
    if (asJson) return json({ ...v.saved, changes })
    return ok([
      ...head,
      "",
      `Optimum i dag under denne versions regler: pulje scenarios saved solve ${id} --version ${version}`,
    ])
  }
  const why = unsolvable(ctx, v)
  if (why !== null) {
    if (asJson) return json({ ...v.saved, changes, notice: why })
    return ok([...head, "", `Det kan ikke løses i denne runde: ${why}.`])
  }
  const now = await savedScenario(ctx, id)
  if (asJson) return json({ ...now, changes })
  return ok([
    ...head,
    "",
    ...(!now.current.dataChanged
      ? ["Data er uændret, siden scenariet blev gemt: optimum er det samme i dag."]
      : [
          "Data er ændret, siden scenariet blev gemt (priser, forslag eller scenariets regler).",
          "Optimum under dets regler i dag:",
          ...optimumLines(ctx, now.current.figures),
        ]),
  ])
}

const solve = async (ctx: CliContext, id: string, version: number | undefined, values: Values) => {
  const v = await userScenarioVersion(ctx, id, version)
  const why = unsolvable(ctx, v)
  if (why !== null || v.base === null)
    throw new UsageError(`brugerscenarie ${id}: ${why}; det kan ikke løses her`)
  const r = decode(await solveUserScenario(ctx, v.body, settingsOf(values)))
  const solved = objectiveOf(r) !== null
  if (values.json) return json(r, solved ? 0 : 1)
  const text = await solveText(userScenarioContext(ctx, v.body), v.base.id, v.body.rules, r)
  return { text: [...about(ctx, v), ...text].join("\n").trimEnd(), exitCode: solved ? 0 : 1 }
}

/** The flag each field of a user scenario to save comes from; the rules come from the rule flags, checked as they are read. */
const INPUT_FLAGS = { title: "--title", description: "--description", note: "--note", basedOn: "--scenario" }

const int = (flag: string, v: string | undefined) =>
  v === undefined ? undefined : parseInteger(flag, v, 1, 1_000_000)

const save = async (ctx: CliContext, values: Values): Promise<Output> => {
  const id = str(values.id)
  const baseVersion = values["base-version"]
  if (baseVersion !== undefined && id === undefined)
    throw new UsageError("--base-version hører til --id: den version, en ny version bygger på")
  // A new version starts from the one it is based on: its title, description and base scenario.
  const prev =
    id === undefined ? undefined : await userScenarioVersion(ctx, id, int("--base-version", str(baseVersion)))
  const title = str(values.title) ?? prev?.saved.name
  if (!title)
    throw new UsageError(
      'pulje scenarios saved save skal have --title TITEL, fx --title "Uden BC05" --scenario ofs-2025-26 --exclude BC05',
    )
  if (prev?.base === null && str(values.scenario) === undefined)
    throw new UsageError(
      `brugerscenarie ${id} version ${prev.saved.version} ${unsolvable(ctx, prev)}: giv den nye version et med --scenario; der er ${ctx.catalog.scenarioIds().join(", ")}`,
    )
  const base = scenarioOf(ctx, str(values.scenario) ?? prev?.body.basedOn)
  const warnings: string[] = []
  const rules = rulesPatch(ctx, values, base.rules, (w) => warnings.push(w))
  const parsed = SaveScenarioInput.safeParse({
    title,
    description: str(values.description) ?? prev?.body.description ?? "",
    basedOn: base.id,
    ...(rules ? { rules } : {}),
    note: str(values.note) ?? "",
  })
  if (!parsed.success) throw schemaUsageError(parsed.error, INPUT_FLAGS)
  const input = parsed.data
  let s: Awaited<ReturnType<typeof saveScenario>>
  if (id === undefined || prev === undefined) s = await saveScenario(ctx, input)
  else {
    try {
      s = await updateScenario(ctx, id, { ...input, baseVersion: prev.saved.version })
    } catch (e) {
      if (!(e instanceof Conflict)) throw e
      const latest = (await savedScenarioVersions(ctx, id)).versions.at(-1)?.version
      throw new UsageError(
        `brugerscenarie ${id} er nu i version ${latest}, ikke ${prev.saved.version}: en anden har gemt det siden, så intet er gemt. Se pulje scenarios saved show ${id}, og gem igen med --base-version ${latest}`,
      )
    }
  }
  if (values.json) return { ...json(s), warnings }
  return {
    ...ok([
      `Gemt: brugerscenarie ${s.id}, version ${s.version} ("${s.name}").`,
      ...about(ctx, describeVersion(ctx, s, s.version)).slice(1),
      "",
      "Optimum under dets regler:",
      ...optimumLines(ctx, s.figures),
      "",
      `Løs det med: pulje scenarios saved solve ${s.id}`,
    ]),
    warnings,
  }
}

const versions = async (ctx: CliContext, id: string, asJson: boolean) => {
  const r = await savedScenarioVersions(ctx, id)
  if (asJson) return json(r)
  return ok([
    `Brugerscenarie ${id}: ${r.versions.length} versioner, nyeste først (målværdi i ${unitText()} ${pl(ctx.catalog.prices.tablePriceLevel)}, som da de blev gemt)`,
    renderTable(
      [
        { header: ["Version"], align: "right" },
        { header: ["Titel"], maxWidth: 40 },
        { header: ["Bygger på"] },
        { header: ["Målværdi"], align: "right" },
        { header: ["Runde"] },
        { header: ["Gemt (UTC)"] },
        { header: ["Af nøgle"] },
      ],
      [...r.versions]
        .reverse()
        .map((v) => [
          String(v.version),
          v.name,
          typeof v.body.basedOn === "string" ? v.body.basedOn : "?",
          kr(v.figures?.objective),
          typeof v.body.round === "string" ? v.body.round : "-",
          utcMinute(v.savedAt),
          v.savedBy ?? "-",
        ]),
    ),
    "",
    `Se en version med: pulje scenarios saved show ${id} --version N`,
  ])
}

const remove = async (ctx: CliContext, id: string, asJson: boolean) => {
  const r = await deleteSavedScenario(ctx, id)
  if (asJson) return json(r)
  return ok(`Slettet: brugerscenarie ${id}. Det er væk fra listen; dets versioner gemmes i revisionssporet.`)
}

/** The app's NotFound for a user scenario or one of its versions, in Danish. */
const inDanish = (e: unknown, id: string | undefined): unknown => {
  if (!(e instanceof NotFound)) return e
  if (e.what === "saved scenario")
    return new UsageError(`intet gemt brugerscenarie "${e.id}"; se pulje scenarios saved list`)
  if (e.what.startsWith("version of saved scenario"))
    return new UsageError(`brugerscenarie ${id} har ingen version ${e.id}; det har ${e.known.join(", ")}`)
  return e
}

const SUBCOMMANDS = "list, show ID, solve ID, save, versions ID eller delete ID"

/** pulje scenarios saved list|show|solve|save|versions|delete. */
export const savedScenariosRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, positionals } = parse("scenarios saved", argv, OPTIONS, true)
  const [sub, ...rest] = positionals
  showAmountsIn(parseUnit(str(values.unit)))
  const ctx = storeContext(values)
  const asJson = values.json === true
  const needId = () => {
    if (!rest[0]) throw new UsageError(`pulje scenarios saved ${sub} skal have et brugerscenaries id`)
    if (rest.length > 1)
      throw new UsageError(`pulje scenarios saved ${sub}: ét id ad gangen, ikke ${rest.join(" ")}`)
    return rest[0]
  }
  try {
    switch (sub) {
      case "list":
        return await list(ctx, asJson)
      case "show":
        return await show(ctx, needId(), int("--version", str(values.version)), asJson)
      case "solve":
        return await solve(ctx, needId(), int("--version", str(values.version)), values)
      case "save":
        if (rest.length)
          throw new UsageError(
            `pulje scenarios saved save tager ingen forslag, men regler: ${rest.join(" ")}`,
          )
        return await save(ctx, values)
      case "versions":
        return await versions(ctx, needId(), asJson)
      case "delete":
        return await remove(ctx, needId(), asJson)
      default:
        throw new UsageError(`pulje scenarios saved ${sub ?? ""}: skriv ${SUBCOMMANDS}`)
    }
  } catch (e) {
    throw inDanish(e, str(values.id) ?? rest[0])
  } finally {
    await storeOf(ctx).close()
  }
}

export const SAVED_HELP = `pulje scenarios saved ...: brugerscenarier, navngivne hvad-nu-hvis over et af rundens
scenarier, gemt i versioner (de samme som på siden og i REST-API'et)

  pulje scenarios saved list                   de gemte (nyeste version af hver)
  pulje scenarios saved show ID [--version N]  ændringerne i ord mod scenariet det bygger på, optimum
                                               da det blev gemt, og i dag hvis data er ændret
  pulje scenarios saved solve ID [--version N] den bedste pakke under det nu (som pulje solve)
  pulje scenarios saved save --title T [--scenario S] [regler som pulje solve] [--description D]
        [--note N] [--id ID [--base-version N]]
                                               gem et nyt, eller med --id en ny version af ID (bygger
                                               på den nyeste, eller på --base-version N: intet gemmes,
                                               hvis en anden har gemt siden); reglerne erstatter de
                                               tidligere versioners
  pulje scenarios saved versions ID            alle versioner, nyeste først
  pulje scenarios saved delete ID              væk fra listen; versionerne gemmes

Reglerne (save) og løseren (solve):
${RULE_HELP}

Brugerscenarierne gemmes i PULJE_DATA_DIR (standard ./var) og er de samme i alle runder: med
--round ID (eller --data DIR) løses og vises de på den rundes data, som under /rounds/ID/ i REST-API'et.

Eksempler:
  pulje scenarios saved save --title "Uden BC05" --scenario ofs-2025-26 --exclude BC05
  pulje scenarios saved solve ID --unit mio`
