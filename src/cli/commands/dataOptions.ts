/** The flags every data command takes. */
export const DATA_OPTIONS = {
  json: { type: "boolean" },
  data: { type: "string" },
  round: { type: "string" },
  unit: { type: "string" },
  confidential: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

/** The flags of a command on a round that prints no amounts and no JSON of its own: which round, and the confidential proposals. */
export const ROUND_OPTIONS = {
  data: DATA_OPTIONS.data,
  round: DATA_OPTIONS.round,
  confidential: DATA_OPTIONS.confidential,
  help: DATA_OPTIONS.help,
} as const

/** The help line of --confidential, shared by the data commands. */
export const CONFIDENTIAL_HELP = `  --confidential DIR     tag de fortrolige forslag (bilag 2b) i mappen DIR med
                         (eller PULJE_CONFIDENTIAL_DIR)`
