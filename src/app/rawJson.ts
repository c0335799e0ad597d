/**
 * The JSON text of a `T`, made where the value was made (a solver thread), and written into a
 * response as it is: a large result is never rebuilt on the event loop only to be serialized again.
 */
export class RawJson<T> {
  declare readonly value?: T
  constructor(readonly text: string) {}
}

/** An object some of whose fields may be RawJson of what they stand for. */
export type WithRaw<T> = { [K in keyof T]: T[K] | RawJson<T[K]> }

/** JSON.stringify, writing RawJson fields of the top-level object as they are. */
export const stringify = (value: unknown): string => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return JSON.stringify(value)
  const entries = Object.entries(value)
  if (!entries.some(([, v]) => v instanceof RawJson)) return JSON.stringify(value)
  const fields: string[] = []
  for (const [k, v] of entries) {
    const text = v instanceof RawJson ? v.text : JSON.stringify(v)
    if (text !== undefined) fields.push(`${JSON.stringify(k)}:${text}`)
  }
  return `{${fields.join(",")}}`
}

/** The plain value of an object with RawJson fields. */
export const decode = <T>(value: WithRaw<T>): T => JSON.parse(stringify(value)) as T

/**
 * An object with RawJson fields, typed as the value the response serializer sends for it (it
 * writes each RawJson's text in place, see `stringify`), without decoding it on the event loop.
 */
export const asSent = <T>(value: WithRaw<T>): T => value as T
