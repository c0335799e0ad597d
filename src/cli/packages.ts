import { decode } from "../api/json.ts"
import type { RulesPatch } from "../api/overrides.ts"
import { TIME_LIMIT_DEFAULT_MS } from "../api/schemas.ts"
import type { PackageEntry } from "../solver/evaluate.ts"
import type { Lock, Rules } from "../solver/rules.ts"
import type { Scenario } from "../solver/scenario.ts"
import {
  many,
  parse,
  parseAmount,
  parseEntryArg,
  parseInteger,
  parseMaxPayback,
  parseProposalId,
  UsageError,
} from "./args.ts"
import { type Context, context, json, type Output } from "./context.ts"
import { chosenTable, differenceText, field, poolTable, rulesText, solveReport, yearTable } from "./render.ts"
import { type Row, renderTable } from "./table.ts"
import { kr, objectiveText, pl, statusText } from "./text.ts"

/** The flags that change a scenario's rules, shared by solve, evaluate and compare. */
export const RULE_OPTIONS = {
  scenario: { type: "string" },
  "service-pool": { type: "string" },
  "anlaeg-pool": { type: "string" },
  "anlæg-pool": { type: "string" },
  "combined-pool": { type: "string" },
  "max-payback": { type: "string" },
  lock: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  exempt: { type: "string", multiple: true },
  "max-proposals": { type: "string" },
  engine: { type: "string" },
  "time-limit": { type: "string" },
  json: { type: "boolean" },
  data: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

type RuleValues = { [K in keyof typeof RULE_OPTIONS]?: string | string[] | boolean | undefined }

const str = (v: RuleValues[keyof RuleValues]): string | undefined => (typeof v === "string" ? v : undefined)

const knownProposal = (ctx: Context, flag: string, id: string) => {
  if (!ctx.catalog.hasProposal(id))
    throw new UsageError(
      `${flag} ${id}: intet sådant forslag; der er ${ctx.catalog.proposalIds().join(", ")}`,
    )
  return id
}

const knownVariant = (ctx: Context, flag: string, id: string, variant: string) => {
  const p = ctx.catalog.proposal(id)
  if (!p.variants.some((v) => v.id === variant))
    throw new UsageError(
      `${flag} ${id}:${variant}: ${id} har ingen variant "${variant}"; den har ${p.variants.map((v) => v.id).join(", ")}`,
    )
}

/** The scenario named by --scenario (the default scenario when none is named). */
export const scenarioOf = (ctx: Context, id: string | undefined): Scenario => {
  if (id !== undefined && !ctx.catalog.scenarioIds().includes(id))
    throw new UsageError(
      `--scenario ${id}: intet sådant scenarie; der er ${ctx.catalog.scenarioIds().join(", ")}`,
    )
  return ctx.catalog.scenario(id)
}

/** The rule flags as a what-if over the scenario's rules (locks, exclusions and exemptions add to its own). */
export const rulesPatch = (ctx: Context, v: RuleValues, base: Rules): RulesPatch | undefined => {
  const patch: {
    limits?: { service?: number; anlaeg?: number; combined?: number }
    payback?: { maxYears?: number | null; exempt?: string[] }
    locks?: Lock[]
    exclude?: string[]
    maxProposals?: number
  } = {}
  const limits: { service?: number; anlaeg?: number; combined?: number } = {}
  const service = str(v["service-pool"])
  const anlaeg = str(v["anlaeg-pool"]) ?? str(v["anlæg-pool"])
  const combined = str(v["combined-pool"])
  if (service !== undefined) limits.service = parseAmount("--service-pool", service)
  if (anlaeg !== undefined) limits.anlaeg = parseAmount("--anlaeg-pool", anlaeg)
  if (combined !== undefined) limits.combined = parseAmount("--combined-pool", combined)
  if (Object.keys(limits).length) patch.limits = limits
  const payback: { maxYears?: number | null; exempt?: string[] } = {}
  const maxPayback = str(v["max-payback"])
  if (maxPayback !== undefined) payback.maxYears = parseMaxPayback(maxPayback)
  const exempt = many(v.exempt).map((x) => knownProposal(ctx, "--exempt", parseProposalId("--exempt", x)))
  if (exempt.length) payback.exempt = [...new Set([...base.payback.exempt, ...exempt])]
  if (Object.keys(payback).length) patch.payback = payback
  const locks = many(v.lock).map((text): Lock => {
    const [rawId = "", variant] = text.split(":")
    const proposal = knownProposal(ctx, "--lock", parseProposalId("--lock", rawId))
    if (variant === undefined) return { proposal }
    knownVariant(ctx, "--lock", proposal, variant)
    return { proposal, variant }
  })
  if (locks.length) {
    const mine = new Set(locks.map((l) => l.proposal))
    patch.locks = [...base.locks.filter((l) => !mine.has(l.proposal)), ...locks]
  }
  const exclude = many(v.exclude).map((x) => knownProposal(ctx, "--exclude", parseProposalId("--exclude", x)))
  if (exclude.length) patch.exclude = [...new Set([...base.exclude, ...exclude])]
  const maxProposals = str(v["max-proposals"])
  if (maxProposals !== undefined) patch.maxProposals = parseInteger("--max-proposals", maxProposals, 0, 1000)
  return Object.keys(patch).length ? patch : undefined
}

/** --engine and --time-limit. */
export const settingsOf = (v: RuleValues) => {
  const engine = str(v.engine) ?? "bb"
  if (engine !== "bb" && engine !== "lp") throw new UsageError(`--engine ${engine}: vælg bb eller lp`)
  const limit = str(v["time-limit"])
  return {
    engine: engine as "bb" | "lp",
    timeLimitMs:
      limit === undefined ? TIME_LIMIT_DEFAULT_MS * 5 : parseInteger("--time-limit", limit, 1, 600_000),
  }
}

const header = (s: Scenario) => [field("Scenarie", `${s.id} – ${s.title}`)]

/** pulje solve: the best package of a scenario, with any what-if. */
export const solveCommand = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("solve", argv, RULE_OPTIONS)
  const ctx = context(str(values.data))
  const scenario = scenarioOf(ctx, str(values.scenario))
  const patch = rulesPatch(ctx, values, scenario.rules)
  const r = decode(
    await ctx.service.solveScenario(scenario.id, {
      ...(patch ? { rules: patch } : {}),
      ...settingsOf(values),
    }),
  )
  const objective =
    r.result.status === "optimal" || r.result.status === "feasible" ? r.result.objective : null
  const solved = objective !== null
  if (values.json) return json(r, solved ? 0 : 1)
  const out = [...header(scenario), ...rulesText(r.rules), ...solveReport(r.result, r.rules)]
  if (r.compareTo) {
    const c = r.compareTo
    out.push(
      "",
      `Sammenlignet med ${c.scenario.id} – ${c.scenario.title}${c.overridesApplied ? " (med de samme ændringer)" : ""}`,
    )
    if (c.difference === null || c.objective === null || objective === null)
      out.push(`  kan ikke sammenlignes: ${c.scenario.id} er ${c.status}`)
    else
      out.push(
        `  ${objectiveText(r.rules.objective)}: ${kr(objective)} mod ${kr(c.objective)}, ${differenceText(c.difference)}.`,
        c.difference < 0 ? "  Det er prisen for dette scenaries politiske valg." : "",
      )
  }
  return { text: out.join("\n").trimEnd(), exitCode: solved ? 0 : 1 }
}

/** pulje evaluate BC05 BC10:scenario-2 ...: a hand-picked package under a scenario's rules. */
export const evaluateCommand = async (argv: readonly string[]): Promise<Output> => {
  const { values, positionals } = parse("evaluate", argv, RULE_OPTIONS, true)
  const ctx = context(str(values.data))
  const entries = positionals
    .flatMap((p) => p.split(","))
    .filter(Boolean)
    .map((p) => parseEntryArg("", p))
  const seen = new Set<string>()
  for (const e of entries) {
    knownProposal(ctx, "forslag", e.proposal)
    knownVariant(ctx, "forslag", e.proposal, e.variant)
    if (seen.has(e.proposal)) throw new UsageError(`${e.proposal} står to gange i pakken`)
    seen.add(e.proposal)
  }
  const scenario = scenarioOf(ctx, str(values.scenario))
  const patch = rulesPatch(ctx, values, scenario.rules)
  const r = await ctx.service.evaluate({
    scenario: scenario.id,
    ...(patch ? { rules: patch } : {}),
    package: entries,
    ...settingsOf(values),
  })
  if (values.json) return json(r)
  const f = r.package
  const out = [...header(scenario), ...rulesText(r.rules), ""]
  out.push(
    r.feasible
      ? "Pakken overholder alle regler."
      : `Pakken bryder ${r.broken.length === 1 ? "én regel" : `${r.broken.length} regler`}:`,
    ...r.broken.map((b) => `- ${b.text}`),
    "",
    "Pakken (1.000 kr.)",
    chosenTable(f),
    "",
    poolTable(f, r.rules),
    "",
    "Puljeforbrug pr. år (1.000 kr.)",
    yearTable(f),
    "",
  )
  const o = r.optimum
  if (o.status === "optimal" || o.status === "feasible")
    out.push(
      `${"Mod optimum".padEnd(21)}${objectiveText(r.rules.objective)}: ${kr(f.objective)} mod ${kr(o.objective)} (${statusText(o)}), ${differenceText(r.againstOptimum ?? 0)}`,
    )
  else out.push(field("Mod optimum", `intet optimum: ${statusText(o)}`))
  const c = r.completion
  if (c.status === "optimal" || c.status === "feasible")
    out.push(
      `Bedste udbygning (beholder pakken og fylder puljerne op): ${kr(c.objective)}${
        r.completionAdds.length
          ? `; tilføj ${r.completionAdds.map((a) => (a.variant === "base" ? a.proposal : `${a.proposal}:${a.variant}`)).join(", ")}`
          : "; intet mere kan komme med"
      }`,
    )
  else out.push(`Bedste udbygning: ${statusText(c)}`)
  return { text: out.join("\n"), exitCode: 0 }
}

/** pulje compare --scenario A --scenario B [--package BC05,BC07 ...]: side by side, against the first. */
export const compareCommand = async (argv: readonly string[]): Promise<Output> => {
  const { values, tokens } = parse("compare", argv, {
    scenario: { type: "string", multiple: true },
    package: { type: "string", multiple: true },
    engine: { type: "string" },
    "time-limit": { type: "string" },
    json: { type: "boolean" },
    data: { type: "string" },
    help: { type: "boolean", short: "h" },
  })
  const ctx = context(typeof values.data === "string" ? values.data : undefined)
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
  const r = await ctx.service.compare({ items, ...settingsOf(values) })
  if (values.json) return json(r)
  const c = r.comparison
  const h = pl(ctx.catalog.defaultScenario.rules.poolPriceLevel)
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
    "Sammenligning (1.000 kr.; forskelle mod den første)",
    renderTable(
      [
        { header: ["Pakke"], maxWidth: 40 },
        { header: ["Status"] },
        { header: ["Effektivisering v.", "fuld indfasning", "(2027 p/l)"], align: "right" },
        { header: ["Forskel i besparelse", "pr. år mod den første", "(2027 p/l)"], align: "right" },
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
