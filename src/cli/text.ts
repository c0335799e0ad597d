import { formatDanish } from "../model/format.ts"
import { basisDa } from "../model/wording.ts"
import type { SolveResult } from "../solver/result.ts"
import type { Objective } from "../solver/rules.ts"

/** An amount in 1.000 kr., rounded to whole 1.000 kr. for reading ("2.062"; "-" for none). */
export const kr = (x: number | null | undefined): string =>
  x === null || x === undefined ? "-" : formatDanish(x)

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
    ? `årlig besparelse v. fuld indfasning (1.000 kr. ${tablePriceLevel} p/l)`
    : `samlet nettoeffekt til og med ${o.untilYear} (1.000 kr. ${tablePriceLevel} p/l)`

/** Payback basis in the document's words. */
export const basisText = basisDa
