import type { ChosenVariant, SolveResult } from "./result.ts"

/** The JSON text of each chosen-variant line made so far (packageFigures shares the lines). */
const lineText = new WeakMap<ChosenVariant, string>()

/** Stands for the chosen list while the rest of the result is written (no text can hold it unescaped). */
const MARK = "\u0000chosen"
const KEY = '"chosen":'
const MARKED = `${KEY}${JSON.stringify(MARK)}`

/**
 * JSON.stringify(result), character for character, with each chosen variant's text made once
 * and kept: the lines are the larger part of an answer, and the same few dozen come back in every
 * package.
 */
export const solveResultJson = (result: SolveResult): string => {
  if (!("package" in result)) return JSON.stringify(result)
  let chosen = "["
  for (const line of result.package.chosen) {
    let text = lineText.get(line)
    if (text === undefined) {
      text = JSON.stringify(line)
      // Only a line no one can change keeps its text (packageFigures freezes the lines it shares).
      if (Object.isFrozen(line)) lineText.set(line, text)
    }
    chosen += chosen.length === 1 ? text : `,${text}`
  }
  const rest = JSON.stringify({ ...result, package: { ...result.package, chosen: MARK } })
  const at = rest.indexOf(MARKED)
  if (at < 0) return JSON.stringify(result)
  return `${rest.slice(0, at + KEY.length)}${chosen}]${rest.slice(at + MARKED.length)}`
}
