/**
 * The repository's layout for data files: two-space JSON, but each array of numbers and each
 * small object on one line, so that a cash-flow row reads like the printed table row.
 */
export const formatDataJson = (value: unknown): string => `${format(value, "")}\n`

const INLINE_MAX = 200

const format = (v: unknown, indent: string): string => {
  const flat = JSON.stringify(v)
  if (v === null || typeof v !== "object") return flat
  const isLeafArray = Array.isArray(v) && v.every((x) => x === null || typeof x !== "object")
  const isLineLike =
    !Array.isArray(v) &&
    Object.values(v).every(
      (x) =>
        x === null || typeof x !== "object" || (Array.isArray(x) && x.every((y) => typeof y !== "object")),
    )
  if ((isLeafArray || isLineLike) && flat.length + indent.length <= INLINE_MAX) return spaced(v)
  const inner = `${indent}  `
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]"
    return `[\n${v.map((x) => inner + format(x, inner)).join(",\n")}\n${indent}]`
  }
  const entries = Object.entries(v)
  if (entries.length === 0) return "{}"
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner)}`).join(",\n")}\n${indent}}`
}

/** One-line JSON with a space after commas and colons. */
const spaced = (v: unknown): string => {
  if (v === null || typeof v !== "object") return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(spaced).join(", ")}]`
  return `{ ${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}: ${spaced(x)}`)
    .join(", ")} }`
}
