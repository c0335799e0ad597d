import { formatDanish } from "../model/format.ts"
import { basisDa, type MoneyDa, mioDa, savingDa } from "../model/wording.ts"
import type { SolveResult } from "../solver/result.ts"
import type { Objective } from "../solver/rules.ts"
import type { Unit } from "./args.ts"

let shownIn: Unit = "t"

/** Show amounts in 1.000 kr. ("t", as the document prints them) or in mio. kr. with one decimal. */
export const showAmountsIn = (unit: Unit): void => {
  shownIn = unit
}

/** Whether amounts are shown in mio. kr. */
export const inMio = (): boolean => shownIn === "mio"

/** The unit amounts are shown in: "1.000 kr." or "mio. kr.". */
export const unitText = (): string => (shownIn === "mio" ? "mio. kr." : "1.000 kr.")

/**
 * An amount given in 1.000 kr., for reading: rounded to whole 1.000 kr. ("2.062"), or in mio. kr.
 * with one decimal ("2,1") under `--unit mio`; "-" for none.
 */
export const kr = (x: number | null | undefined): string =>
  x === null || x === undefined ? "-" : shownIn === "mio" ? formatDanish(x / 1000, 1) : formatDanish(x)

/** An amount in 1.000 kr. that may have a fraction (a limit's slack at the pool's price level): "819,1" or "0,8". */
export const fractional = (x: number): string => (shownIn === "mio" ? kr(x) : number(Math.round(x * 10) / 10))

/** How a sentence shows an amount with its unit and price level: "2.398 (1.000 kr., 2027 p/l)" or "2,4 mio. kr. (2027 p/l)". */
export const money = (): MoneyDa => (shownIn === "mio" ? mioDa : savingDa)

/** An amount someone typed (a pool, a quota), with its decimals kept ("87,5"; "87,5" mio. kr.). */
export const typed = (x: number): string =>
  shownIn === "mio"
    ? formatDanish(x / 1000, Number.isInteger(x / 100) ? 1 : 3)
    : formatDanish(x, Number.isInteger(x) ? 0 : 1)

/** Years of payback ("6", "2,5", "aldrig" when it never pays back). */
export const years = (x: number | null): string =>
  x === null ? "aldrig" : formatDanish(x, Number.isInteger(x) ? 0 : 1)

/** A share as a percentage ("1,2 %"). */
export const percent = (x: number): string => `${formatDanish(x * 100, 1)} %`

/** Any number as the document would print it (integers grouped, decimals with a comma). */
export const number = (x: number | string | null): string =>
  x === null ? "-" : typeof x === "string" ? x : formatDanish(x, Number.isInteger(x) ? 0 : 1)

/** "(2026 p/l)" */
export const pl = (year: number): string => `(${year} p/l)`

/** The solver's status in the negotiators' words. */
export const statusText = (r: SolveResult): string => {
  switch (r.status) {
    case "optimal":
      return "optimal (bevist)"
    case "feasible":
      return `gyldig pakke, ikke bevist optimal: tidsgrænsen blev nået (gap ${percent(r.gap)})`
    case "infeasible":
      return "umulig: reglerne kan ikke alle overholdes"
    case "timeout":
      return "tidsgrænsen blev nået, før en gyldig pakke blev fundet"
  }
}

/** What the objective measures, with its unit and price level. */
export const objectiveText = (o: Objective, tablePriceLevel: number): string =>
  o.kind === "permanentEffect"
    ? `årlig besparelse v. fuld indfasning (${unitText()} ${tablePriceLevel} p/l)`
    : `samlet nettoeffekt til og med ${o.untilYear} (${unitText()} ${tablePriceLevel} p/l)`

/** Payback basis in the document's words. */
export const basisText = basisDa

/** A saved item's time to the minute, in UTC as stored: "2026-12-03 07:40". */
export const utcMinute = (iso: string): string => iso.slice(0, 16).replace("T", " ")
