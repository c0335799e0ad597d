import { type EvaluateOutput, evaluatePackage } from "../../app/useCases/evaluatePackage.ts"
import { evaluatedExport } from "../../app/useCases/packageExport.ts"
import { entryName } from "../../model/wording.ts"
import type { Scenario } from "../../solver/scenario.ts"
import { parse, parseEntryArg, UsageError } from "../args.ts"
import { type Command, cliContext, json, type Output } from "../context.ts"
import {
  knownProposal,
  knownVariant,
  RULE_HELP,
  RULE_OPTIONS,
  rulesPatch,
  scenarioOf,
  settingsOf,
  str,
} from "../options.ts"
import { chosenTable, differenceText, field, poolTable, rulesText, yearTable } from "../render.ts"
import { kr, objectiveText, statusText, unitText } from "../text.ts"
import { FILE_HELP, FILE_OPTIONS, wantsFiles, writeFiles } from "./fileOutput.ts"

const header = (s: Scenario) => [field("Scenarie", `${s.id} – ${s.title}`)]

/** ": overskredet med 7.500" for a pool, ": 2 for mange" for a count. */
const overrun = (rule: string, excess: number) =>
  rule.startsWith("limit:") ? `: overskredet med ${kr(excess)}` : `: ${kr(excess)} for meget eller for lidt`

/** What to take out to make the package legal, or why taking out cannot. */
const repairText = (repair: EvaluateOutput["repair"]): string[] => {
  if (!repair) return []
  if (!repair.possible)
    return ["Ingen udtagning gør pakken lovlig: den mangler noget, reglerne kræver (se ovenfor)."]
  return [
    `Billigste vej til en lovlig pakke: tag ${repair.drop.map((d) => entryName(d.proposal, d.variant)).join(", ")} ud` +
      ` (pakken mister ${kr(repair.lostObjective)} af målet).`,
  ]
}

/** pulje evaluate BC05 BC10:scenario-2 ...: a hand-picked package under a scenario's rules. */
const evaluateCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, positionals } = parse("evaluate", argv, { ...RULE_OPTIONS, ...FILE_OPTIONS }, true)
  const ctx = cliContext(values)
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
  const warnings: string[] = []
  const patch = rulesPatch(ctx, values, scenario.rules, (w) => warnings.push(w))
  const r = await evaluatePackage(ctx, {
    scenario: scenario.id,
    ...(patch ? { rules: patch } : {}),
    package: entries,
    ...settingsOf(values),
  })
  // A package that breaks the rules is a negative answer, as "no package" is for solve.
  const exitCode = r.feasible ? 0 : 1
  const files = wantsFiles(values) ? await writeFiles(evaluatedExport(ctx, r), values) : []
  if (values.json) return { ...json(r, exitCode), warnings }
  const f = r.package
  const out = [...header(scenario), ...rulesText(r.rules, ctx.catalog.prices), ""]
  out.push(
    r.feasible
      ? "Pakken overholder alle regler."
      : `Pakken bryder ${r.broken.length === 1 ? "én regel" : `${r.broken.length} regler`}:`,
    ...r.broken.map((b) => `- ${b.text}${b.excess === undefined ? "" : overrun(b.rule, b.excess)}`),
    ...repairText(r.repair),
    "",
    `Pakken (${unitText()})`,
    chosenTable(f),
    "",
    poolTable(f, r.rules),
    "",
    `Puljeforbrug pr. år (${unitText()})`,
    yearTable(f),
    "",
  )
  const o = r.optimum
  if (o.status === "optimal" || o.status === "feasible")
    out.push(
      `${"Mod optimum".padEnd(21)}${objectiveText(r.rules.objective, ctx.catalog.prices.tablePriceLevel)}: ${kr(f.objective)} mod ${kr(o.objective)} (${statusText(o)}), ${differenceText(r.againstOptimum ?? 0)}`,
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
  if (files.length) out.push("", ...files)
  return { text: out.join("\n"), exitCode, warnings }
}

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "vurder en håndplukket pakke: BC05 BC10:scenario-2 ...",
  help: `pulje evaluate BC05 BC10:scenario-2 ... [tilvalg]: vurder en håndplukket pakke

Viser om pakken overholder reglerne (og hvilke den bryder), dens totaler pr. område og år,
hvad der er tilbage i puljerne, afstanden til optimum og den bedste udbygning.

${RULE_HELP}
${FILE_HELP}`,
  run: evaluateCommandRun,
}
