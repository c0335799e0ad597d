import type { RulesPatch } from "../app/rulesPatch.ts"
import { TIME_LIMIT_DEFAULT_MS } from "../app/settings.ts"
import type { Lock, Rules } from "../solver/rules.ts"
import type { Scenario } from "../solver/scenario.ts"
import {
  many,
  parseAmount,
  parseInteger,
  parseMaxPayback,
  parseProposalId,
  parseUnit,
  smallPoolWarning,
  UsageError,
} from "./args.ts"
import { CONFIDENTIAL_HELP, DATA_OPTIONS } from "./commands/dataOptions.ts"
import type { CliContext } from "./context.ts"

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
  ...DATA_OPTIONS,
} as const

type RuleValues = { [K in keyof typeof RULE_OPTIONS]?: string | string[] | boolean | undefined }

export const str = (v: RuleValues[keyof RuleValues]): string | undefined =>
  typeof v === "string" ? v : undefined

export const knownProposal = (ctx: CliContext, flag: string, id: string) => {
  if (!ctx.catalog.hasProposal(id))
    throw new UsageError(
      `${flag} ${id}: intet sådant forslag; der er ${ctx.catalog.proposalIds().join(", ")}`,
    )
  return id
}

export const knownVariant = (ctx: CliContext, flag: string, id: string, variant: string) => {
  const p = ctx.catalog.proposal(id)
  if (!p.variants.some((v) => v.id === variant))
    throw new UsageError(
      `${flag} ${id}:${variant}: ${id} har ingen variant "${variant}"; den har ${p.variants.map((v) => v.id).join(", ")}`,
    )
}

/** The scenario named by --scenario (the default scenario when none is named). */
export const scenarioOf = (ctx: CliContext, id: string | undefined): Scenario => {
  if (id !== undefined && !ctx.catalog.scenarioIds().includes(id))
    throw new UsageError(
      `--scenario ${id}: intet sådant scenarie; der er ${ctx.catalog.scenarioIds().join(", ")}`,
    )
  return ctx.catalog.scenario(id)
}

/**
 * The rule flags as a what-if over the scenario's rules (locks, exclusions and exemptions add to
 * its own). `warn` hears of values that are valid but probably not meant (a pool under 1 mio. kr.).
 */
export const rulesPatch = (
  ctx: CliContext,
  v: RuleValues,
  base: Rules,
  warn: (message: string) => void = () => {},
): RulesPatch | undefined => {
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
  const unit = parseUnit(str(v.unit))
  const pool = (flag: string, text: string) => {
    const amount = parseAmount(flag, text, unit)
    const warning = smallPoolWarning(flag, text, amount)
    if (warning) warn(warning)
    return amount
  }
  if (service !== undefined) limits.service = pool("--service-pool", service)
  if (anlaeg !== undefined) limits.anlaeg = pool("--anlaeg-pool", anlaeg)
  if (combined !== undefined) limits.combined = pool("--combined-pool", combined)
  if (Object.keys(limits).length) patch.limits = limits
  const payback: { maxYears?: number | null; exempt?: string[] } = {}
  const maxPayback = str(v["max-payback"])
  if (maxPayback !== undefined) payback.maxYears = parseMaxPayback(maxPayback)
  const exempt = many(v.exempt).map((x) => knownProposal(ctx, "--exempt", parseProposalId("--exempt", x)))
  if (exempt.length) payback.exempt = [...new Set([...base.payback.exempt, ...exempt])]
  if (Object.keys(payback).length) patch.payback = payback
  const lockText = new Map<string, string>()
  const locks = many(v.lock).map((text): Lock => {
    const [rawId = "", variant] = text.split(":")
    const proposal = knownProposal(ctx, "--lock", parseProposalId("--lock", rawId))
    const earlier = lockText.get(proposal)
    if (earlier !== undefined)
      throw new UsageError(
        `--lock ${earlier} og --lock ${text}: ${proposal} kan kun låses én gang, i én variant (BC10:scenario-2) eller i en vilkårlig (BC10)`,
      )
    lockText.set(proposal, text)
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

/** The help text of the rule flags, shared by solve, evaluate and compare. */
export const RULE_HELP = `  --scenario ID          scenariets regler (standard: ofs-2025-26; se pulje scenarios)
  --service-pool N       service-puljen i 1.000 kr., puljens p/l (2026), fx 100.000 eller 100mio
  --anlaeg-pool N        anlægs-puljen i 1.000 kr., puljens p/l, fx 87.500 eller 87,5mio
  --combined-pool N      service og anlæg samlet, 1.000 kr., puljens p/l
  --max-payback N|none   tilbagebetalingstid højst N år; none slår kravet fra
  --lock BC10:scenario-2 forslaget skal med (i den variant); kan gentages
  --exclude BC24         forslaget må ikke komme med; kan gentages
  --exempt BC10          forslaget er undtaget kravet om tilbagebetalingstid
  --max-proposals N      højst N forslag i pakken
  --engine bb|lp         bb: eksakt branch-and-bound (standard); lp: javascript-lp-solver
  --time-limit MS        stop søgningen efter MS millisekunder (standard 10.000)
  --unit t|mio           beløb i 1.000 kr. (standard) eller mio. kr. med én decimal, ind og ud
  --json                 JSON til scripts i stedet for tabeller
  --data DIR             en anden runde (round.json, overview.json, proposals/, what-ifs/)
  --round ID             en runde blandt rundene (standard: ofs-2025-26; se pulje rounds)
${CONFIDENTIAL_HELP}`
