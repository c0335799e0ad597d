import { NoAnswer } from "../../app/errors.ts"
import {
  alternativesOfScenario,
  explainScenario,
  frontierOfScenario,
  NoOptimum,
  NoUncertaintyModel,
  robustnessOfScenario,
} from "../../app/useCases/analyseScenario.ts"
import { formatDanish } from "../../model/format.ts"
import { analysisDa } from "../../model/wording.ts"
import type { OptionExplanation, RankedPackage } from "../../solver/analysis/index.ts"
import type { Entry } from "../../solver/result.ts"
import { parse, parseAmount, parseInteger, parseProposalId, parseUnit, UsageError } from "../args.ts"
import { type Command, cliContext, json, type Output } from "../context.ts"
import { knownProposal, RULE_HELP, RULE_OPTIONS, rulesPatch, scenarioOf, str } from "../options.ts"
import { field, rulesText, ruleTextShown } from "../render.ts"
import { renderTable } from "../table.ts"
import { fractional, inMio, kr, money, number, percent, unitText } from "../text.ts"

const names = (cs: readonly Entry[]) =>
  cs.map((c) => (c.variant === "base" ? c.proposal : `${c.proposal}:${c.variant}`)).join(" ") || "-"

/** The shared start of every analysis command: flags, round, scenario and what-if. */
const setup = <O extends Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>>(
  command: string,
  argv: readonly string[],
  extra: O,
  positionals = false,
) => {
  const parsed = parse(command, argv, { ...RULE_OPTIONS, ...extra }, positionals)
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>
  const ctx = cliContext(values)
  const scenario = scenarioOf(ctx, str(values.scenario as string | undefined))
  const patch = rulesPatch(ctx, values, scenario.rules)
  const head = (rules: Parameters<typeof rulesText>[0]) => [
    field("Scenarie", `${scenario.id} – ${scenario.title}`),
    ...rulesText(rules, ctx.catalog.prices),
    "",
  ]
  return { values, positionals: parsed.positionals, ctx, scenario, what: patch ? { rules: patch } : {}, head }
}

/** The analyses' answers, with "no optimum" and "no uncertainty model" said in Danish. */
const inDanish = async <T>(answer: Promise<T>): Promise<T> => {
  try {
    return await answer
  } catch (e) {
    if (e instanceof NoOptimum)
      throw new NoAnswer(
        `ingen pakke overholder alle scenariets regler, så der er intet optimum at analysere; pulje solve viser, hvilke regler der strides`,
      )
    if (e instanceof NoUncertaintyModel)
      throw new NoAnswer("runden har ingen usikkerhedsmodel (uncertainty.json)")
    throw e
  }
}

const opt = (values: Record<string, unknown>, key: string) => {
  const v = values[key]
  return typeof v === "string" ? v : undefined
}

/** "5", "2,5" or "5 %" as a share (0,05). */
const parsePercent = (flag: string, text: string): number => {
  const t = text.replace(/\s|%/g, "")
  if (!/^\d+(,\d+)?$/.test(t) || Number(t.replace(",", ".")) > 100)
    throw new UsageError(`${flag} ${text}: skriv en procent fra 0 til 100, fx 5 eller 2,5`)
  return Number(t.replace(",", ".")) / 100
}

/** A factor on an estimate, two decimals ("0,85"). */
const factor = (x: number) => formatDanish(x, 2)

const SPECIFIC = { help: { type: "boolean", short: "h" } } as const
const tableUnit = (pl: number) => `(${unitText()}, ${pl} p/l)`

// ------------------------------------------------------------------ frontier

const frontierRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, ctx, scenario, what, head } = setup("frontier", argv, {
    ...SPECIFIC,
    pool: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
  })
  const pool = opt(values, "pool") ?? "service"
  if (pool !== "service" && pool !== "anlaeg" && pool !== "anlæg" && pool !== "total")
    throw new UsageError(`--pool ${pool}: vælg service, anlaeg eller total`)
  const from = opt(values, "from")
  const to = opt(values, "to")
  const unit = parseUnit(opt(values, "unit"))
  const r = await inDanish(
    frontierOfScenario(ctx, scenario.id, {
      ...what,
      pool: pool === "anlæg" ? "anlaeg" : pool,
      ...(from === undefined ? {} : { from: parseAmount("--from", from, unit) }),
      ...(to === undefined ? {} : { to: parseAmount("--to", to, unit) }),
    }),
  )
  if (values.json) return json(r)
  const f = r.result
  const poolName =
    f.pool === "total" ? "begge puljer samlet" : f.pool === "anlaeg" ? "anlægspuljen" : "servicepuljen"
  const out = [
    ...head(r.rules),
    `Den bedste pakke som funktion af ${poolName}, ${kr(f.from)}–${kr(f.to)} ${tableUnit(f.poolPriceLevel)}:`,
    `hvert trin er bevist ved en eksakt løsning på trinnet og 1.000 kr. under det.`,
    "",
    renderTable(
      [
        { header: ["Pulje fra", tableUnit(f.poolPriceLevel)], align: "right" },
        { header: ["Effektivisering", tableUnit(f.tablePriceLevel)], align: "right" },
        { header: ["Gevinst"], align: "right" },
        { header: ["Kommer med"], maxWidth: 40 },
        { header: ["Går ud"], maxWidth: 40 },
      ],
      f.steps.map((s, i) => [
        kr(s.pool),
        kr(s.objective),
        i === 0 ? "" : `+${kr(s.gain)}`,
        i === 0 ? names(s.package.choices) : names(s.entered),
        i === 0 ? "" : names(s.left),
      ]),
    ),
  ]
  if (f.infeasibleBelow !== null)
    out.push("", `Under ${kr(f.infeasibleBelow)} kan ingen pakke overholde reglerne.`)
  if (f.marginal) {
    out.push("", `Fra scenariets egen pulje (${kr(f.marginal.pool)}):`)
    for (const m of f.marginal.next)
      out.push(
        `  ${number(m.extra / 1000)} mio. kr. mere giver +${kr(m.gain)} om året ${tableUnit(f.tablePriceLevel)}${m.entered.length ? `; med: ${names(m.entered)}` : ""}${m.left.length ? `; ud: ${names(m.left)}` : ""}`,
      )
  }
  out.push(
    "",
    `${f.steps.length} trin, ${f.stats.solves} løsninger, ${number(Math.round(f.stats.millis))} ms.`,
  )
  return { text: out.join("\n"), exitCode: 0 }
}

export const frontierCommand: Command = {
  name: "frontier",
  summary: "hvad mere (eller mindre) pulje giver: alle trin i den bedste pakke, bevist",
  help: `pulje frontier [tilvalg]: den bedste pakke som funktion af puljen, trin for trin

  --pool service|anlaeg|total  puljen der varieres (total: begge, i scenariets forhold); standard service
  --from N / --to N            fra og til, 1.000 kr., puljens p/l (standard 0 til alt ansøgt)
${RULE_HELP}

Eksempler:
  pulje frontier --from 80.000 --to 120.000
  pulje frontier --pool total --json`,
  run: frontierRun,
}

// ------------------------------------------------------------------ explain

const STATUS_DA: Record<OptionExplanation["status"], string> = {
  chosen: "med",
  notChosen: "ikke med",
  ruledOut: "udelukket",
}

const explainRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, positionals, ctx, scenario, what, head } = setup("explain", argv, SPECIFIC, true)
  const wanted = positionals.map((p) => knownProposal(ctx, "forslag", parseProposalId("forslag", p)))
  const r = await inDanish(
    explainScenario(ctx, scenario.id, {
      ...what,
      ...(wanted.length ? { proposals: wanted } : {}),
    }),
  )
  if (values.json) return json(r)
  const e = r.result
  const out = [
    ...head(r.rules),
    `Den bedste pakke giver ${kr(e.optimum.objective)} om året ${tableUnit(e.tablePriceLevel)}.`,
    "",
  ]
  if (wanted.length) {
    for (const o of e.options) out.push(analysisDa.option(o, e.tablePriceLevel, money()), "")
    return { text: out.join("\n").trimEnd(), exitCode: 0 }
  }
  out.push(
    `Hvert forslag: prisen for at tage det ud eller ind (effektivisering pr. år), og hvad der skal til ${tableUnit(e.tablePriceLevel)}`,
    renderTable(
      [
        { header: ["Forslag"] },
        { header: ["Status"] },
        { header: ["Pris"], align: "right" },
        { header: ["Kommer med ved", "effektivisering +"], align: "right" },
        { header: ["eller pris -", "(service/anlæg)"], align: "right" },
        { header: ["I stedet / må ud"], maxWidth: 44 },
      ],
      e.options.map((o) => {
        const name = o.variant === "base" ? o.proposal : `${o.proposal}:${o.variant}`
        if (o.status === "chosen")
          return [name, STATUS_DA.chosen, kr(o.priceOut), "", "", names(o.withoutIt?.entered ?? [])]
        if (o.status === "notChosen")
          return [
            name,
            STATUS_DA.notChosen,
            kr(o.priceIn),
            kr(o.savingThreshold),
            (o.costThresholds ?? []).map((t) => (t.reduction === null ? "-" : kr(t.reduction))).join(" / "),
            names(o.withIt?.left ?? []),
          ]
        return [
          name,
          STATUS_DA.ruledOut,
          kr(o.exempted?.priceIn),
          "",
          "",
          (o.rules ?? []).map((x) => x.text).join("; "),
        ]
      }),
    ),
    "* prisen for at tage det med, hvis reglen, der udelukker det, undtages for det",
    "",
    `Reglernes pris (effektivisering pr. år, ${unitText()}, ${e.tablePriceLevel} p/l)`,
    ...e.rulePrices.map(
      (p) =>
        `- ${analysisDa.rulePriceOf({ ...p, text: ruleTextShown(p, r.rules, e) }, e.tablePriceLevel, money())}`,
    ),
    "",
    "Grænserne",
    renderTable(
      [
        { header: ["Grænse"], maxWidth: 50 },
        { header: ["Tilbage", tableUnit(e.poolPriceLevel)], align: "right" },
        { header: ["Binder"] },
        { header: ["+1 mio. kr.", "giver"], align: "right" },
        { header: ["+10 mio. kr.", "giver"], align: "right" },
      ],
      e.limits.map((l) => [
        ruleTextShown(l, r.rules, e),
        fractional(l.slack),
        l.binding ? "ja" : "nej",
        `+${kr(l.gains[0]?.gain ?? 0)}`,
        `+${kr(l.gains[1]?.gain ?? 0)}`,
      ]),
    ),
    "",
    `${e.stats.solves} løsninger, ${number(Math.round(e.stats.millis))} ms.`,
  )
  return { text: out.join("\n"), exitCode: 0 }
}

export const explainCommand: Command = {
  name: "explain",
  summary: "hvorfor et forslag er med eller ej, hvad der skal til, og hvad hver regel koster",
  help: `pulje explain [BCxx ...] [tilvalg]: hvorfor hvert forslag er med eller ej

Uden forslag: en tabel over alle forslag, reglernes pris og grænsernes værdi.
Med forslag: forklaringen for hvert af dem.
${RULE_HELP}

Eksempler:
  pulje explain
  pulje explain BC24 BC10`,
  run: explainRun,
}

// ------------------------------------------------------------------ alternatives

const rankTable = (list: readonly RankedPackage[], pl: number) =>
  renderTable(
    [
      { header: ["Nr."], align: "right" },
      { header: ["Effektivisering", tableUnit(pl)], align: "right" },
      { header: ["Bagud"], align: "right" },
      { header: ["Kommer med"], maxWidth: 40 },
      { header: ["Går ud"], maxWidth: 40 },
    ],
    list.map((b) => [String(b.rank), kr(b.package.objective), kr(b.behind), names(b.entered), names(b.left)]),
  )

const CLASS_DA = { core: "kerne", border: "grænse", exterior: "ydre" } as const

const alternativesRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, ctx, scenario, what, head } = setup("alternatives", argv, {
    ...SPECIFIC,
    k: { type: "string" },
    share: { type: "string" },
    distance: { type: "string" },
    diverse: { type: "string" },
    core: { type: "string" },
  })
  const int = (key: string, min: number, max: number) => {
    const v = opt(values, key)
    return v === undefined ? {} : { [key]: parseInteger(`--${key}`, v, min, max) }
  }
  const share = opt(values, "share")
  const core = opt(values, "core")
  const r = await inDanish(
    alternativesOfScenario(ctx, scenario.id, {
      ...what,
      ...int("k", 1, 100),
      ...int("distance", 1, 100),
      ...int("diverse", 1, 20),
      ...(share === undefined ? {} : { share: parsePercent("--share", share) }),
      ...(core === undefined ? {} : { coreShare: parsePercent("--core", core) }),
    }),
  )
  if (values.json) return json(r)
  const a = r.result
  const c = a.core
  return {
    text: [
      ...head(r.rules),
      "De bedste pakker (lige gode står med samme nummer)",
      rankTable(a.best, a.tablePriceLevel),
      "",
      "Forskellige alternativer (hver den bedste, der adskiller sig fra de foregående)",
      rankTable(a.diverse, a.tablePriceLevel),
      "",
      `Kerneindeks: andelen af de ${c.complete ? number(c.packages) : "mange"} pakker inden for ${percent(c.share)} af den bedste (mindst ${kr(c.threshold)}), der har forslaget med`,
      c.complete ? "" : "(for mange til at tælle: klasserne er bevist ved løsninger, andelene ikke beregnet)",
      renderTable(
        [{ header: ["Forslag"] }, { header: ["Klasse"] }, { header: ["Andel"], align: "right" }],
        c.entries.map((e) => [e.proposal, CLASS_DA[e.class], e.share === null ? "-" : percent(e.share)]),
      ),
      "",
      `${a.stats.solves} løsninger, ${number(Math.round(a.stats.millis))} ms.`,
    ]
      .filter((l, i, all) => l !== "" || all[i - 1] !== "")
      .join("\n"),
    exitCode: 0,
  }
}

export const alternativesCommand: Command = {
  name: "alternatives",
  summary: "de næstbedste pakker, forskellige alternativer og kerneindekset",
  help: `pulje alternatives [tilvalg]: de k bedste pakker, forskellige alternativer og kerneindekset

  --k N          antal bedste pakker (standard 5; lige gode med den sidste vises også)
  --share P      forskellige alternativer inden for P % af den bedste (standard 5)
  --distance D   ... der adskiller sig i mindst D forslag (standard 3)
  --diverse N    højst N forskellige alternativer (standard 3)
  --core P       kerneindeks over pakker inden for P % af den bedste (standard 2)
${RULE_HELP}

Eksempler:
  pulje alternatives --k 3
  pulje alternatives --share 2 --distance 4`,
  run: alternativesRun,
}

// ------------------------------------------------------------------ robustness

const robustnessRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, ctx, scenario, what, head } = setup("robustness", argv, {
    ...SPECIFIC,
    draws: { type: "string" },
    seed: { type: "string" },
  })
  const draws = opt(values, "draws")
  const seed = opt(values, "seed")
  const r = await inDanish(
    robustnessOfScenario(ctx, scenario.id, {
      ...what,
      ...(draws === undefined ? {} : { draws: parseInteger("--draws", draws, 1, 100_000) }),
      ...(seed === undefined ? {} : { seed: parseInteger("--seed", seed, 0, 2 ** 32 - 1) }),
    }),
  )
  if (values.json) return json(r)
  const m = r.result
  const spread = (label: string, s: typeof m.realised) => [label, kr(s.p10), kr(s.p50), kr(s.p90), kr(s.mean)]
  return {
    text: [
      ...head(r.rules),
      analysisDa.robustness(
        { ...m, ...m.realised, objective: m.nominal.objective },
        m.tablePriceLevel,
        inMio(),
      ),
      "",
      renderTable(
        [
          { header: [`Effektivisering pr. år ${tableUnit(m.tablePriceLevel)}`] },
          { header: ["P10"], align: "right" },
          { header: ["P50"], align: "right" },
          { header: ["P90"], align: "right" },
          { header: ["Middel"], align: "right" },
        ],
        [spread("Den valgte pakke", m.realised), spread("Bedste pakke pr. træk", m.reoptimised)],
      ),
      "",
      "Den valgte pakke giver mindst lige så meget som",
      ...m.beats.map(
        (b) => `- nr. ${b.rank} (${kr(b.behind)} bagud på overslagene) i ${percent(b.share)} af trækkene`,
      ),
      "",
      "Hvor ofte hvert forslag er i den bedste pakke, når den findes på ny for hvert træk",
      renderTable(
        [
          { header: ["Forslag"] },
          { header: ["Valgt nu"] },
          { header: ["Andel"], align: "right" },
          { header: ["Faktor på", "effektivisering"] },
          { header: ["Kilde (risikoafsnit)"], maxWidth: 60 },
        ],
        m.frequencies.map((f, i) => {
          const e = m.model.entries[i]
          return [
            f.proposal,
            f.nominal ? "ja" : "",
            percent(f.share),
            e ? `${factor(e.min)}–${factor(e.max)} (typisk ${factor(e.mode)})` : "",
            e?.source ?? "",
          ]
        }),
      ),
      "",
      `${number(m.draws)} træk (frø ${m.seed}), ${number(m.stats.solves)} løsninger, ${number(Math.round(m.stats.millis))} ms (heraf løsninger ${number(Math.round(m.stats.solveMillis))} ms).`,
    ].join("\n"),
    exitCode: 0,
  }
}

export const robustnessCommand: Command = {
  name: "robustness",
  summary: "hvor sikker er pakken, når effektiviseringerne er skøn: Monte Carlo med ny løsning pr. træk",
  help: `pulje robustness [tilvalg]: Monte Carlo over de usikre effektiviseringer

Usikkerheden pr. forslag står i rundens uncertainty.json (med kilde i forslagets risikoafsnit).
  --draws N      antal træk (standard 10.000)
  --seed S       frø: samme frø giver samme resultat (standard 1)
${RULE_HELP}

Eksempler:
  pulje robustness
  pulje robustness --draws 2000 --seed 7 --json`,
  run: robustnessRun,
}
