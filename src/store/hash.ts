import { createHash } from "node:crypto"

/** An array index as a property name ("0", "17"): objects list these first, in numeric order. */
const INDEX = /^(?:0|[1-9]\d*)$/
const isIndex = (key: string) => {
  const c = key.charCodeAt(0)
  return c >= 48 && c <= 57 && INDEX.test(key) && Number(key) < 4_294_967_295
}

/** JSON.stringify of object keys, kept: the same few dozen names come back in every row. */
const quotedKeys = new Map<string, string>()
const quoted = (key: string): string => {
  let q = quotedKeys.get(key)
  if (q === undefined) {
    q = JSON.stringify(key)
    if (quotedKeys.size < 4096) quotedKeys.set(key, q)
  }
  return q
}

/**
 * The JSON text of `v` with object keys sorted (JSON.stringify's rules otherwise: toJSON, and
 * undefined, functions and symbols left out of objects and null in arrays); undefined where
 * JSON.stringify gives undefined. Index-like keys come first in numeric order, as they did when
 * this was JSON.stringify over objects rebuilt with sorted keys, so the hashes stay the same.
 */
const canonical = (v: unknown, key: string | number): string | undefined => {
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function")
    v = (v as { toJSON(key: string): unknown }).toJSON(String(key))
  if (v === null) return "null"
  switch (typeof v) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
      return JSON.stringify(v)
    case "object": {
      if (v instanceof Number || v instanceof String || v instanceof Boolean) return JSON.stringify(v)
      if (Array.isArray(v)) {
        let out = "["
        for (let i = 0; i < v.length; i++) out += `${i ? "," : ""}${canonical(v[i], i) ?? "null"}`
        return `${out}]`
      }
      const keys = Object.keys(v)
      let n = 0
      while (n < keys.length && isIndex(keys[n] as string)) n++
      const sorted = n === 0 ? keys.sort() : [...keys.slice(0, n), ...keys.slice(n).sort()]
      let out = "{"
      for (const k of sorted) {
        const text = canonical((v as Record<string, unknown>)[k], k)
        if (text !== undefined) out += `${out.length > 1 ? "," : ""}${quoted(k)}:${text}`
      }
      return `${out}}`
    }
    default:
      return undefined
  }
}

/** JSON with object keys sorted at every depth: equal values give equal text. */
export const canonicalJson = (value: unknown): string => canonical(value, "") ?? "null"

/** sha256 (hex) of a text. */
export const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex")

/** sha256 (hex) of the canonical JSON of `value`: the request and result hashes of the audit trail. */
export const contentHash = (value: unknown): string => sha256Hex(canonicalJson(value))
