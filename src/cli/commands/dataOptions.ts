/** The flags every data command takes. */
export const DATA_OPTIONS = {
  json: { type: "boolean" },
  data: { type: "string" },
  round: { type: "string" },
  unit: { type: "string" },
  confidential: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

/** The help line of --confidential, shared by the data commands. */
export const CONFIDENTIAL_HELP = `  --confidential DIR     tag de fortrolige forslag (bilag 2b) i mappen DIR med
                         (eller PULJE_CONFIDENTIAL_DIR)`
