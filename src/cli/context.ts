import { existsSync, statSync } from "node:fs"
import { OPEN_CALLER } from "../app/caller.ts"
import { type AppContext, createContext } from "../app/context.ts"
import { NotFound } from "../app/errors.ts"
import { roundDir } from "../app/rounds.ts"
import { openStore } from "../app/storage.ts"
import { parseUnit, UsageError } from "./args.ts"
import { showAmountsIn } from "./text.ts"

/** What a command works with: the round (loaded once) and the use cases, solved in this process. */
export type CliContext = AppContext

/** A --data folder that is not there: exit code 3, like data that cannot be read. */
export class DataDirError extends Error {
  override readonly name = "DataDirError"
}

/** The round folder of `--round ID` among the rounds (see `pulje rounds`); a UsageError names those there are. */
const roundFolder = (id: string): string => {
  try {
    return roundDir(id)
  } catch (e) {
    if (e instanceof NotFound)
      throw new UsageError(`--round ${id}: ingen sådan runde; der er ${e.known.join(", ")}`)
    throw e
  }
}

const isFolder = (dir: string): boolean => existsSync(dir) && statSync(dir).isDirectory()

/**
 * The confidential folder named by `--confidential DIR` (else PULJE_CONFIDENTIAL_DIR), or
 * undefined when none is named; a DataDirError when it is not there.
 */
export const confidentialFolder = (flag: unknown): string | undefined => {
  const named = typeof flag === "string" ? `--confidential ${flag}` : "PULJE_CONFIDENTIAL_DIR"
  const confidentialDir = typeof flag === "string" ? flag : process.env.PULJE_CONFIDENTIAL_DIR || undefined
  if (confidentialDir !== undefined && !isFolder(confidentialDir))
    throw new DataDirError(
      `${named}: mappen ${confidentialDir} findes ikke; de fortrolige forslag (bilag 2b) er en mappe med ét forslag pr. JSON-fil`,
    )
  return confidentialDir
}

/** The round folder `--data DIR` names, checked; a DataDirError when it is not there. */
export const dataFolder = (dir: string): string => {
  if (!isFolder(dir))
    throw new DataDirError(
      `--data ${dir}: mappen findes ikke; en runde er en mappe med round.json, overview.json, proposals/ og what-ifs/`,
    )
  return dir
}

/**
 * The context options for the confidential folder (see confidentialFolder): its proposals, and
 * the grant to see them, since the person at the command line can read the files anyway. None
 * named: no options, so nothing changes.
 */
const confidentialAccess = (flag: unknown) => {
  const confidentialDir = confidentialFolder(flag)
  if (confidentialDir === undefined) return {}
  return { confidentialDir, caller: { ...OPEN_CALLER, confidential: true } }
}

/** The flags that name the round and the confidential folder, as the data commands take them. */
interface DataFlags {
  readonly data?: unknown
  readonly round?: unknown
  readonly confidential?: unknown
}

/** The round folder `--round ID` or `--data DIR` names, checked (undefined: the built-in round). */
const roundDataDir = (values: DataFlags): string | undefined => {
  const round = typeof values.round === "string" ? values.round : undefined
  if (round !== undefined && typeof values.data === "string")
    throw new UsageError("brug enten --data eller --round, ikke begge")
  return round !== undefined
    ? roundFolder(round)
    : typeof values.data === "string"
      ? dataFolder(values.data)
      : undefined
}

/**
 * The round in `--data` or `--round` and the store (in PULJE_DATA_DIR, else ./var) for the
 * commands that keep work, with the confidential proposals when their folder is named (see
 * confidentialAccess). The store spans the rounds, as the service's does. Close it when done.
 */
export const storeContext = (values: DataFlags = {}): CliContext => {
  const dataDir = roundDataDir(values)
  const access = confidentialAccess(values.confidential)
  return createContext({
    threads: 0,
    ...(dataDir === undefined ? {} : { dataDir }),
    store: openStore(),
    caller: OPEN_CALLER,
    ...access,
  })
}

/**
 * The round in `--data` or `--round` (default: the built-in one), with the confidential proposals
 * of `--confidential` (see confidentialAccess), its solves run on this thread; amounts are shown
 * in `--unit`.
 */
export const cliContext = (values: DataFlags & { readonly unit?: unknown }): CliContext => {
  showAmountsIn(parseUnit(typeof values.unit === "string" ? values.unit : undefined))
  const dataDir = roundDataDir(values)
  return createContext({
    threads: 0,
    ...(dataDir === undefined ? {} : { dataDir }),
    ...confidentialAccess(values.confidential),
  })
}

/** What a command prints, its warnings (to stderr) and its exit code: the tests capture it, main prints it. */
export interface Output {
  readonly text: string
  readonly exitCode: number
  readonly warnings?: readonly string[]
}

/** One `pulje` command: a file in commands/ and a line in commands/index.ts. */
export interface Command {
  readonly name: string
  /** One line for the general help. */
  readonly summary: string
  /** `pulje help <name>` and `pulje <name> --help`. */
  readonly help: string
  /** The output, or null when the command keeps running (serve). */
  run(argv: readonly string[]): Promise<Output | null>
}

export const ok = (lines: readonly string[] | string): Output => ({
  text: typeof lines === "string" ? lines : lines.join("\n"),
  exitCode: 0,
})

export const json = (value: unknown, exitCode = 0): Output => ({
  text: JSON.stringify(value, null, 2),
  exitCode,
})
