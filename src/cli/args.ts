import { type ParseArgsConfig, parseArgs } from "node:util"
import { ProposalId } from "../model/schema.ts"
import { type PackageEntry, parseEntry } from "../solver/evaluate.ts"

/** A mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "UsageError"
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean; tokens: true }>
>

/** node:util parseArgs, strict, with its errors turned into one readable line. */
export const parse = <O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
  positionals = false,
): Parsed<O> => {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals, tokens: true })
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    const flag = /'(-[^']*)'/.exec(err.message)?.[1] ?? ""
    const see = `se pulje ${command} --help`
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`ukendt tilvalg ${flag}; ${see}`)
    if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
      throw new UsageError(`${flag.split(" ")[0]} mangler en værdi; ${see}`)
    if (err.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")
      throw new UsageError(`uventet argument ${/'([^']*)'/.exec(err.message)?.[1] ?? ""}; ${see}`)
    throw new UsageError(`${err.message}; ${see}`)
  }
}

/**
 * An amount in 1.000 kr. as a person types it: "100000", Danish "100.000" or "87.500", decimals
 * with a comma ("87.500,5"). "87.5" is refused: in Danish it would read as 875 hundreds.
 */
export const parseAmount = (flag: string, text: string): number => {
  const t = text.trim().replace(/\s/g, "")
  const danish = /^\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)
  const plain = /^\d+(,\d+)?$/.test(t)
  if (!danish && !plain)
    throw new UsageError(
      `${flag} ${text}: skriv et ikke-negativt beløb i 1.000 kr., fx 100000 eller 100.000 (punktum adskiller tusinder, komma decimaler)`,
    )
  return Number(t.replace(/\./g, "").replace(",", "."))
}

/** A whole number within [min, max]. */
export const parseInteger = (flag: string, text: string, min: number, max: number): number => {
  const t = text.trim().replace(/\./g, "")
  if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max)
    throw new UsageError(`${flag} ${text}: skriv et helt tal fra ${min} til ${max}`)
  return Number(t)
}

/** Years of payback ("6", "6,5") or "none" / "ingen" to switch the rule off. */
export const parseMaxPayback = (text: string): number | null => {
  const t = text.trim().toLowerCase()
  if (t === "none" || t === "ingen") return null
  if (!/^\d+(,\d+)?$/.test(t) || Number(t.replace(",", ".")) <= 0)
    throw new UsageError(`--max-payback ${text}: skriv et antal år (fx 6 eller 6,5) eller none`)
  return Number(t.replace(",", "."))
}

/** "BC10:scenario-2" or "bc05" as a package entry, with a readable error. */
export const parseEntryArg = (flag: string, text: string): PackageEntry => {
  const [id = ""] = text.split(":")
  if (!ProposalId.safeParse(id.toUpperCase()).success || text.split(":").length > 2)
    throw new UsageError(`${flag}${text}: skriv et forslag som BC05 eller BC10:scenario-2`)
  try {
    return parseEntry(text)
  } catch {
    throw new UsageError(`${flag}${text}: skriv et forslag som BC05 eller BC10:scenario-2`)
  }
}

/** A proposal id ("bc24" → "BC24"). */
export const parseProposalId = (flag: string, text: string): string => {
  const id = text.trim().toUpperCase()
  if (!ProposalId.safeParse(id).success) throw new UsageError(`${flag} ${text}: et forslag hedder fx BC24`)
  return id
}

/** Values of a repeatable flag, also split on commas ("--exclude BC24,BC10"). */
export const many = (v: string | string[] | boolean | undefined | (string | boolean)[]): string[] =>
  (Array.isArray(v) ? v : v === undefined || typeof v === "boolean" ? [] : [v])
    .filter((x): x is string => typeof x === "string")
    .flatMap((x) => x.split(","))
    .map((x) => x.trim())
    .filter(Boolean)
