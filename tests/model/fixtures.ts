import { join } from "node:path"
import type { Anomaly, Proposal } from "../../src/model/index.ts"

/** The real data set the model is tested against. */
export const DATA_DIR = join(import.meta.dirname, "../../scenarios/ofs-2025-26")

/**
 * The numbers a recorded `printed` / `computed` value mentions. Strings are read both ways, as the
 * anomalies mix the document's Danish format ("-5.257", "0,9") with plain numbers ("729.6", "-1273").
 */
export const numbersIn = (x: number | string | undefined): number[] => {
  if (x === undefined) return []
  if (typeof x === "number") return [x]
  return (x.match(/-?\d[\d.,]*\d|-?\d/g) ?? []).flatMap((t) => [
    Number(t.replace(/,/g, "")),
    Number(t.replace(/\./g, "").replace(",", ".")),
  ])
}

/** True when a recorded value mentions `n` (as printed, or rounded to one decimal). */
export const mentions = (x: number | string | undefined, n: number | null): boolean =>
  n !== null && numbersIn(x).some((m) => m === n || m === Math.round(n * 10) / 10)

/**
 * The anomaly of one of `kinds` that records a finding: same variant (or none named), with the
 * printed figure in `printed` and the computed one in `computed`. Undefined when there is none.
 */
export const recordingAnomaly = (
  p: Proposal,
  variant: string | undefined,
  kinds: readonly Anomaly["kind"][],
  printed: number | null,
  computed: number | null,
): Anomaly | undefined =>
  p.anomalies.find(
    (a) =>
      kinds.includes(a.kind) &&
      (a.variant === undefined || a.variant === variant) &&
      mentions(a.printed, printed) &&
      mentions(a.computed, computed),
  )
