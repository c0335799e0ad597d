import { formatDanish } from "../model/format.ts"
import type { Unit } from "./state.ts"
import type { LimitArea } from "./types.ts"

/** The unit's name as a column header says it. */
export const unitName = (unit: Unit): string => (unit === "mio" ? "mio. kr." : "1.000 kr.")

/** An amount given in 1.000 kr., shown in `unit`: "2,1" (mio. kr., one decimal) or "2.062" (1.000 kr.). */
export const amount = (x: number, unit: Unit): string =>
  unit === "mio" ? formatDanish(x / 1000, 1) : formatDanish(x)

/**
 * An amount already written in `unit` ("2,1", "+2.062"), with the unit after it in running text:
 * "2,1 mio. kr.", but "2.062 (1.000 kr.)": "2.062 1.000 kr." reads as two numbers.
 */
export const inUnit = (text: string, unit: Unit): string => `${text}${unitAfter(unit)}`

/** What `inUnit` puts after an amount: " mio. kr." or " (1.000 kr.)". */
export const unitAfter = (unit: Unit): string => (unit === "mio" ? " mio. kr." : " (1.000 kr.)")

/** An amount with its unit and price level: "2,1 mio. kr. (2026 p/l)", "2.062 (1.000 kr., 2026 p/l)". */
export const money = (x: number, unit: Unit, priceLevel: number): string =>
  unit === "mio"
    ? `${amount(x, unit)} mio. kr. (${priceLevel} p/l)`
    : `${amount(x, unit)} (1.000 kr., ${priceLevel} p/l)`

/** A change, signed: "+1,2" / "-0,4" / "0,0". */
export const signed = (x: number, unit: Unit): string => {
  const s = amount(x, unit)
  return x > 0 && /[1-9]/.test(s) ? `+${s}` : s
}

/** Years of payback: "3", "2,5", "aldrig". */
export const years = (x: number | null): string =>
  x === null ? "aldrig" : formatDanish(x, Number.isInteger(x) ? 0 : 1)

/** A pool's name in Danish. */
export const areaName = (area: LimitArea): string =>
  area === "service" ? "Service" : area === "anlaeg" ? "Anlæg" : "Service og anlæg"
