/** The flags every data command takes. */
export const DATA_OPTIONS = {
  json: { type: "boolean" },
  data: { type: "string" },
  round: { type: "string" },
  unit: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const
