import { type ParseArgsConfig, parseArgs } from "node:util"
import { ProposalId } from "../model/schema.ts"
import { amountDa, schemaBoundDa, schemaIssueDa } from "../model/wording.ts"
import { type PackageEntry, parseEntry } from "../solver/evaluate.ts"

/** A mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "UsageError"
  }
}

/**
 * Input that a use case's zod schema refused, as a UsageError in Danish: per issue the flag it
 * came from (`flags`, by the input's top-level field) and what is wrong, in the words the round
 * import uses for a bad cell ("--title: Titel mangler eller er for kort/lille (mindst 1 tegn)").
 */
export const schemaUsageError = (
  error: {
    readonly issues: readonly {
      readonly code: string
      readonly path: readonly PropertyKey[]
      readonly origin?: unknown
      readonly minimum?: unknown
      readonly maximum?: unknown
    }[]
  },
  flags: Readonly<Record<string, string>>,
): UsageError =>
  new UsageError(
    error.issues
      .map((i) => {
        const flag = flags[String(i.path[0])]
        const text = schemaIssueDa(i, schemaBoundDa(i))
        return flag ? `${flag}: ${text}` : text
      })
      .join("; "),
  )

type Options = NonNullable<ParseArgsConfig["options"]>
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean; tokens: true }>
>

/**
 * "--service-pool -5000" as "--service-pool=-5000": parseArgs would read "-5000" as a flag and
 * report the value as missing; this way the value's own check says what is wrong with it.
 */
const attachNegativeValues = (argv: readonly string[], options: Options): string[] => {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? ""
    const next = argv[i + 1]
    const name = a.startsWith("--") ? a.slice(2) : undefined
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`)
      i++
    } else out.push(a)
  }
  return out
}

/** node:util parseArgs, strict, with its errors turned into one readable line. */
export const parse = <O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
  positionals = false,
): Parsed<O> => {
  try {
    return parseArgs({
      args: attachNegativeValues(argv, options),
      options,
      strict: true,
      allowPositionals: positionals,
      tokens: true,
    })
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

/** The unit amounts are typed and shown in: 1.000 kr. (as the document prints them) or mio. kr. */
export type Unit = "t" | "mio"

/** `--unit t|mio` (default t, 1.000 kr.). */
export const parseUnit = (text: string | undefined): Unit => {
  if (text === undefined || text === "t" || text === "1000") return "t"
  if (text === "mio") return "mio"
  throw new UsageError(`--unit ${text}: vælg t (1.000 kr., standard) eller mio (mio. kr.)`)
}

/**
 * An amount as a person types it, in 1.000 kr.: "100000", Danish "100.000" or "87.500", decimals
 * with a comma ("87.500,5"); or in mio. kr. with the suffix "mio" ("87,5mio", "87,5 mio.") or
 * under `--unit mio`. "87.5" is refused: in Danish it would read as 875 hundreds.
 */
export const parseAmount = (flag: string, text: string, unit: Unit = "t"): number => {
  let t = text.trim().replace(/\s/g, "").toLowerCase()
  let mio = unit === "mio"
  const suffix = /mio\.?$/.exec(t)
  if (suffix) {
    mio = true
    t = t.slice(0, suffix.index)
  }
  const danish = /^\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)
  const plain = /^\d+(,\d+)?$/.test(t)
  if (!danish && !plain)
    throw new UsageError(
      `${flag} ${text}: skriv et ikke-negativt beløb i 1.000 kr., fx 100000 eller 100.000 (punktum adskiller tusinder, komma decimaler), eller i mio. kr. som 87,5mio`,
    )
  const n = Number(t.replace(/\./g, "").replace(",", "."))
  return mio ? Math.round(n * 1000 * 1000) / 1000 : n
}

/**
 * A pool under 1 mio. kr. (1.000 in 1.000 kr.) is almost surely typed in the wrong unit: the
 * warning to print, or null.
 */
export const smallPoolWarning = (flag: string, text: string, amount: number): string | null =>
  amount > 0 && amount < 1000
    ? `${flag} ${text} er ${amountDa(amount)} × 1.000 kr., under 1 mio. kr.; mente du ${text.trim()}mio (mio. kr.)?`
    : null

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
