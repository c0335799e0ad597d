/** Exact rational arithmetic on BigInt, for converting limits between price levels without rounding. */
export interface Rational {
  readonly n: bigint
  readonly d: bigint
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y) [x, y] = [y, x % y]
  return x
}

export const rat = (n: bigint, d = 1n): Rational => {
  if (d === 0n) throw new RangeError("division by zero")
  const s = d < 0n ? -1n : 1n
  const g = gcd(n, d) || 1n
  return { n: (s * n) / g, d: (s * d) / g }
}

/** The exact value of a finite JS number as typed (its shortest decimal form), e.g. 1.028 → 1028/1000. */
export const fromNumber = (x: number): Rational => {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`)
  const [mant = "0", exp = "0"] = x.toString().toLowerCase().split("e")
  const [int = "0", frac = ""] = mant.split(".")
  const e = Number(exp) - frac.length
  const digits = BigInt(int + frac)
  return e >= 0 ? rat(digits * 10n ** BigInt(e)) : rat(digits, 10n ** BigInt(-e))
}

export const add = (a: Rational, b: Rational) => rat(a.n * b.d + b.n * a.d, a.d * b.d)
export const mul = (a: Rational, b: Rational) => rat(a.n * b.n, a.d * b.d)
export const div = (a: Rational, b: Rational) => rat(a.n * b.d, a.d * b.n)

/** Largest integer ≤ r. */
export const floor = (r: Rational): bigint => {
  const q = r.n / r.d
  return r.n < 0n && q * r.d !== r.n ? q - 1n : q
}
/** Smallest integer ≥ r. */
export const ceil = (r: Rational): bigint => -floor(rat(-r.n, r.d))

export const lcm = (a: bigint, b: bigint) => (a / gcd(a, b)) * b
export { gcd }

export const toNumber = (r: Rational) => Number(r.n) / Number(r.d)
