/** The flags every data command takes. */
export const DATA_OPTIONS = {
  json: { type: "boolean" },
  data: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

export const dataDir = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined)
