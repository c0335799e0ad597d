import { NotFound } from "../../app/errors.ts"
import { roundDir } from "../../app/rounds.ts"
import { UsageError } from "../args.ts"

/** The flags every data command takes. */
export const DATA_OPTIONS = {
  json: { type: "boolean" },
  data: { type: "string" },
  round: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

export const dataDir = (v: unknown) => (typeof v === "string" ? v : undefined)

/** The round folder a command works on: --data DIR, else --round ID among the rounds, else the default round. */
export const dataDirOf = (values: {
  readonly data?: unknown
  readonly round?: unknown
}): string | undefined => {
  const data = dataDir(values.data)
  const round = dataDir(values.round)
  if (data !== undefined && round !== undefined)
    throw new UsageError("brug enten --data eller --round, ikke begge")
  if (round === undefined) return data
  try {
    return roundDir(round)
  } catch (e) {
    if (e instanceof NotFound)
      throw new UsageError(`--round ${round}: ingen sådan runde; der er ${e.known.join(", ")}`)
    throw e
  }
}
