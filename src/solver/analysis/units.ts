import type { CompiledConstraint } from "../compile.ts"
import { ceil, floor, fromNumber, mul, type Rational, rat } from "../rational.ts"

/**
 * The exact factor from a rule's own measure (e.g. 1.000 kr. in the pool's price level) to its
 * compiled integer units. compile() keeps it as a float (a ratio of small integers such as
 * 257/250); the continued fraction of that float gives the ratio back, which is checked against
 * the compiled bound.
 */
export const exactScale = (c: CompiledConstraint): Rational => {
  const s = toRatio(c.scale)
  if (
    c.given.max !== undefined &&
    c.max !== undefined &&
    Number(floor(mul(fromNumber(c.given.max), s))) !== c.max
  )
    throw new Error(`rule ${c.rule}: cannot recover the exact scale of ${c.scale}`)
  return s
}

/** The integer bound (compiled units) of a maximum `amount` in the rule's own measure (exact: floor). */
export const maxBound = (scale: Rational, amount: Rational): number => Number(floor(mul(amount, scale)))

/** The smallest amount in the rule's measure, in whole units, whose bound admits `units`. */
export const smallestWhole = (scale: Rational, units: number): number =>
  Number(ceil(rat(BigInt(units) * scale.d, scale.n)))

/** Best rational approximation with denominator at most 10^7 that equals the float x. */
const toRatio = (x: number): Rational => {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`not a positive scale: ${x}`)
  let [h0, h1, k0, k1] = [0, 1, 1, 0]
  let r = x
  for (let i = 0; i < 64; i++) {
    const a = Math.floor(r)
    ;[h0, h1] = [h1, a * h1 + h0]
    ;[k0, k1] = [k1, a * k1 + k0]
    if (k1 > 1e7) break
    if (h1 / k1 === x) return rat(BigInt(h1), BigInt(k1))
    const f = r - a
    if (f === 0) break
    r = 1 / f
  }
  throw new RangeError(`scale ${x} is not a ratio of small integers`)
}
