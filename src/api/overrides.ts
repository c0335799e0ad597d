import { z } from "zod"
import { OFS_2025_26_INDEX } from "../model/priceLevel.ts"
import { ProposalId } from "../model/schema.ts"
import {
  CommitteeQuota,
  Dependency,
  LimitArea,
  Lock,
  Objective,
  PaybackRule,
  type Rules,
  Rules as RulesSchema,
} from "../solver/rules.ts"
import { badRequest, formatPath, fromZodError, type Issue } from "./errors.ts"

const Amount = z.number().finite().nonnegative()

/**
 * A what-if over a scenario's rules: any rule or limit, each field optional. It is deep-merged
 * over the scenario's rules: objects key by key, arrays and numbers replace. `null` removes a
 * pool limit or the proposal cap, and `payback.maxYears: null` switches the payback rule off.
 */
export const RulesPatch = z
  .object({
    objective: Objective.optional(),
    poolPriceLevel: z.number().int().optional(),
    limits: z
      .object({
        service: Amount.nullable().optional().describe("Service pool, 1.000 kr. pool p/l; null: no limit"),
        anlaeg: Amount.nullable().optional().describe("Anlæg pool, 1.000 kr. pool p/l; null: no limit"),
        combined: Amount.nullable().optional().describe("Service and anlæg together; null: no limit"),
        perYear: z
          .array(
            z.object({ area: LimitArea, year: z.number().int().min(2000).max(2100), max: Amount }).strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    payback: z
      .object({
        maxYears: PaybackRule.shape.maxYears.unwrap().optional(),
        basis: PaybackRule.shape.basis.unwrap().optional(),
        exempt: z.array(ProposalId).optional(),
      })
      .strict()
      .optional(),
    locks: z.array(Lock).optional(),
    exclude: z.array(ProposalId).optional(),
    variants: z.record(ProposalId, z.array(z.string().min(1)).min(1).nullable()).optional(),
    committees: z.array(CommitteeQuota).optional(),
    dependencies: z.array(Dependency).optional(),
    maxProposals: z.number().int().nonnegative().nullable().optional(),
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
 * The largest number a request's rules may hold: far above any budget in 1.000 kr., and small
 * enough that the solver's exact integer arithmetic stays exact.
 */
export const MAX_AMOUNT = 1e12

const numbersOver = (x: unknown, path: (string | number)[], out: (string | number)[][]) => {
  if (typeof x === "number" && Math.abs(x) > MAX_AMOUNT) out.push(path)
  else if (Array.isArray(x)) for (const [i, y] of x.entries()) numbersOver(y, [...path, i], out)
  else if (isPlainObject(x)) for (const [k, y] of Object.entries(x)) numbersOver(y, [...path, k], out)
  return out
}

/**
 * What the rules schema cannot see but the solver needs: amounts within MAX_AMOUNT and a pool
 * price level that the price index knows. 400 naming the field otherwise.
 */
export const checkRequestRules = (rules: Rules, prefix = "body.rules"): Rules => {
  const issues: Issue[] = numbersOver(rules, [], []).map((path) => ({
    path: formatPath(path, prefix),
    message: `must be at most ${MAX_AMOUNT} (1.000 kr.)`,
  }))
  const { service, anlaeg } = OFS_2025_26_INDEX.levels
  if (service[rules.poolPriceLevel] === undefined || anlaeg[rules.poolPriceLevel] === undefined)
    issues.push({
      path: formatPath(["poolPriceLevel"], prefix),
      message: `the price index has no level ${rules.poolPriceLevel}; it has ${Object.keys(service).join(", ")}`,
    })
  if (issues.length) throw badRequest(issues)
  return rules
}

/**
 * The scenario's rules with the patch deep-merged over them, validated again as a whole (a merge
 * can give rules that are not valid, e.g. a quota without min or max); 400 naming the field otherwise.
 */
export const mergeRules = (base: Rules, patch: RulesPatch | undefined, prefix = "body.rules"): Rules => {
  if (!patch) return base
  const r = RulesSchema.safeParse(merge(base, patch, ""))
  if (!r.success) throw fromZodError(r.error, prefix)
  return checkRequestRules(r.data, prefix)
}
