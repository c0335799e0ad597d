import { decode } from "../../app/rawJson.ts"
import type { RulesPatch } from "../../app/rulesPatch.ts"
import { rulePricesOfScenario } from "../../app/useCases/analyseScenario.ts"
import { solvedExport } from "../../app/useCases/packageExport.ts"
import { type ScenarioSolveOutput, solveScenario } from "../../app/useCases/solveScenario.ts"
import { analysisDa } from "../../model/wording.ts"
import type { Scenario } from "../../solver/scenario.ts"
import { parse } from "../args.ts"
import { type CliContext, type Command, cliContext, json, type Output } from "../context.ts"
import { RULE_HELP, RULE_OPTIONS, rulesPatch, scenarioOf, settingsOf, str } from "../options.ts"
import { differenceText, field, rulesText, ruleTextShown, solveReport } from "../render.ts"
import { kr, money, objectiveText } from "../text.ts"
import { FILE_HELP, FILE_OPTIONS, wantsFiles, writeFiles } from "./fileOutput.ts"

const header = (s: Scenario) => [field("Scenarie", `${s.id} – ${s.title}`)]

/** The optimum's objective, or null when the solve found no package. */
export const objectiveOf = (r: ScenarioSolveOutput): number | null =>
  r.result.status === "optimal" || r.result.status === "feasible" ? r.result.objective : null

/**
 * What pulje solve prints under its header: the rules solved, the optimum, the price of each
 * rule (exact re-solves of the scenario `scenarioId` with `patch`) and the comparison.
 */
export const solveText = async (
  ctx: CliContext,
  scenarioId: string,
  patch: RulesPatch | undefined,
  r: ScenarioSolveOutput,
): Promise<string[]> => {
  const objective = objectiveOf(r)
  const out = [
    ...rulesText(r.rules, ctx.catalog.prices),
    ...solveReport(r.result, r.rules, ctx.catalog.prices),
  ]
  if (objective !== null) {
    // The price of each rule: what the optimum would gain without it (exact re-solves).
    const prices = await rulePricesOfScenario(ctx, scenarioId, patch ? { rules: patch } : {})
    out.push("", "Reglernes pris (effektivisering pr. år; se også pulje explain)")
    const pr = prices.result
    for (const p of pr.rulePrices)
      out.push(
        `- ${analysisDa.rulePriceOf({ ...p, text: ruleTextShown(p, prices.rules, pr) }, pr.tablePriceLevel, money())}`,
      )
  }
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
        `  ${objectiveText(r.rules.objective, ctx.catalog.prices.tablePriceLevel)}: ${kr(objective)} mod ${kr(c.objective)}, ${differenceText(c.difference)}.`,
        c.difference < 0 ? "  Det er prisen for dette scenaries politiske valg." : "",
      )
  }
  return out
}

/** pulje solve: the best package of a scenario, with any what-if. */
const solveCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { values } = parse("solve", argv, { ...RULE_OPTIONS, ...FILE_OPTIONS })
  const ctx = cliContext(values)
  const scenario = scenarioOf(ctx, str(values.scenario))
  const warnings: string[] = []
  const patch = rulesPatch(ctx, values, scenario.rules, (w) => warnings.push(w))
  const r = decode(
    await solveScenario(ctx, scenario.id, {
      ...(patch ? { rules: patch } : {}),
      ...settingsOf(values),
    }),
  )
  const solved = objectiveOf(r) !== null
  const files = solved && wantsFiles(values) ? await writeFiles(solvedExport(ctx, r), values) : []
  if (values.json) return { ...json(r, solved ? 0 : 1), warnings }
  const out = [...header(scenario), ...(await solveText(ctx, scenario.id, patch, r))]
  if (files.length) out.push("", ...files)
  return { text: out.join("\n").trimEnd(), exitCode: solved ? 0 : 1, warnings }
}

export const solveCommand: Command = {
  name: "solve",
  summary: "den bedste pakke under et scenaries regler (uden tilvalg: standardscenariet)",
  help: `pulje solve [tilvalg]: den bedste pakke under et scenaries regler, med ændringer

${RULE_HELP}
${FILE_HELP}

Eksempler:
  pulje solve
  pulje solve --scenario bc10-scenario-2
  pulje solve --service-pool 120.000 --lock BC10:scenario-2 --exempt BC10`,
  run: solveCommandRun,
}
