import { z } from "zod"
import { deepFreeze } from "../model/load.ts"
import { knownLevels, type PriceIndex } from "../model/priceLevel.ts"
import { ProposalId } from "../model/schema.ts"
import {
  Amount,
  CommitteeQuota,
  Dependency,
  Limits,
  Lock,
  Objective,
  PaybackRule,
  type Rules,
  Rules as RulesSchema,
  ruleList,
  VariantIds,
  variantLists,
} from "../solver/rules.ts"
import { formatPath, InvalidInput } from "./errors.ts"

/**
 * A what-if over a scenario's rules: any rule or limit, each field optional. It is deep-merged
 * over the scenario's rules: objects key by key, arrays and numbers replace. `null` removes a
 * pool limit or the proposal cap, and `payback.maxYears: null` switches the payback rule off.
 */
export const RulesPatch = z
  .object({
    objective: Objective.optional(),
    poolPriceLevel: RulesSchema.shape.poolPriceLevel,
    limits: z
      .object({
        service: Amount.nullable().optional().describe("Service pool, 1.000 kr. pool p/l; null: no limit"),
        anlaeg: Amount.nullable().optional().describe("Anlæg pool, 1.000 kr. pool p/l; null: no limit"),
        combined: Amount.nullable().optional().describe("Service and anlæg together; null: no limit"),
        perYear: Limits.shape.perYear.unwrap().optional(),
      })
      .strict()
      .optional(),
    payback: z
      .object({
        maxYears: PaybackRule.shape.maxYears.unwrap().optional(),
        basis: PaybackRule.shape.basis.unwrap().optional(),
        exempt: ruleList(ProposalId).optional(),
      })
      .strict()
      .optional(),
    locks: ruleList(Lock).optional(),
    exclude: ruleList(ProposalId).optional(),
    variants: variantLists(VariantIds.nullable()).optional(),
    committees: ruleList(CommitteeQuota).optional(),
    dependencies: ruleList(Dependency).optional(),
    maxProposals: RulesSchema.shape.maxProposals.nullable(),
  })
  .strict()
  .describe("Partial rules, deep-merged over the scenario's rules")
export type RulesPatch = z.infer<typeof RulesPatch>

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x)

/** Where `null` is a value of its own rather than "remove this". */
const NULL_IS_VALUE = new Set(["payback.maxYears"])

const merge = (base: unknown, patch: unknown, at: string): unknown => {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(patch)) {
    const path = at ? `${at}.${key}` : key
    if (value === undefined) continue
    if (value === null && !NULL_IS_VALUE.has(path)) delete out[key]
    else out[key] = merge(base[key], value, path)
  }
  return out
}

/**
 * What the rules schema cannot see: a pool price level that the round's price index knows.
 * InvalidInput naming the field otherwise.
 */
export const checkPriceLevel = (rules: Rules, index: PriceIndex, prefix = "body.rules"): Rules => {
  const known = knownLevels(index)
  if (rules.poolPriceLevel !== undefined && !known.includes(rules.poolPriceLevel))
    throw new InvalidInput([
      {
        path: formatPath(["poolPriceLevel"], prefix),
        message: `the price index has no level ${rules.poolPriceLevel}; it has ${known.join(", ")}`,
      },
    ])
  return rules
}

/**
 * The scenario's rules with the patch deep-merged over them, validated again as a whole (a merge
 * can give rules that are not valid, e.g. a quota without min or max); InvalidInput naming the field otherwise.
 */
export const mergeRules = (
  base: Rules,
  patch: RulesPatch | undefined,
  index: PriceIndex,
  prefix = "body.rules",
): Rules => {
  if (!patch) return base
  const merged = merge(base, patch, "") as Record<string, unknown>
  const rules = (isOwnParse(base) && touchedChecked(base, merged, patch)) || wholeChecked(merged, prefix)
  return checkPriceLevel(rules, index, prefix)
}

/** Merged rules validated as a whole; InvalidInput naming the field otherwise. */
const wholeChecked = (merged: unknown, prefix: string): Rules => {
  const r = RulesSchema.safeParse(merged)
  if (!r.success) throw InvalidInput.fromZod(r.error, prefix)
  return r.data
}

/** The patch deep-merged over the rules and validated as a whole (what mergeRules gives, the long way). */
export const mergedWhole = (base: Rules, patch: RulesPatch): Rules =>
  wholeChecked(merge(base, patch, ""), "body.rules")

/**
 * Rules objects known to be what the rules schema makes of them (a scenario's rules, checked
 * once). Frozen when they are added, so that what was checked cannot change afterwards: a rules
 * object changed in place would otherwise keep the trust it had.
 */
const ownParses = new WeakSet<Rules>()
const isOwnParse = (rules: Rules): boolean => {
  if (ownParses.has(rules)) return true
  const r = RulesSchema.safeParse(rules)
  if (!r.success || JSON.stringify(r.data) !== JSON.stringify(rules)) return false
  ownParses.add(deepFreeze(rules))
  return true
}

/**
 * The merged rules, with only the top-level fields the patch touched validated again: the
 * others are the scenario's, valid already, and the rules schema checks each field on its own
 * (no rule across fields). The fields in the schema's order, as a whole parse gives them.
 * Undefined when a touched field is not valid (the whole is then parsed, for the error's paths).
 */
const touchedChecked = (
  base: Rules,
  merged: Record<string, unknown>,
  patch: RulesPatch,
): Rules | undefined => {
  const shape = RulesSchema.shape
  // A field the rules do not have is the whole parse's to refuse.
  for (const key of Object.keys(patch)) if (!Object.hasOwn(shape, key)) return undefined
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    let value: unknown = base[key]
    if (patch[key] !== undefined) {
      const r = shape[key].safeParse(merged[key])
      if (!r.success) return undefined
      value = r.data
    }
    if (value !== undefined) out[key] = value
  }
  return out as Rules
}
