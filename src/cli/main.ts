import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Busy, InvalidInput, NoAnswer, NotFound, Stopped } from "../app/errors.ts"
import { DataFileError } from "../model/load.ts"
import { UsageError } from "./args.ts"
import { COMMANDS } from "./commands/index.ts"
import { DataDirError, type Output } from "./context.ts"
import { showAmountsIn } from "./text.ts"

/**
 * pulje: choose which investment proposals to fund from the investment pool.
 * Tables for people (Danish numbers, the document's terms); --json for scripts.
 */

/** The exit codes, as the help states them. */
export const EXIT = { done: 0, noPackage: 1, usage: 2, data: 3, failed: 4 } as const

const mainHelp = (): string => `pulje – vælg hvilke investeringsforslag investeringspuljen skal finansiere

Brug: pulje <kommando> [tilvalg]

Kommandoer:
${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join("\n")}

Alle beløb er i 1.000 kr.; prisniveauet står i hver tabel. Se pulje help <kommando>.
Slutkoder: 0 færdig, 1 ingen pakke (umulig eller tiden løb ud) eller en pakke der bryder
reglerne (evaluate), 2 forkerte argumenter, 3 data kan ikke læses, 4 løseren kunne ikke svare.
pulje --version viser versionen.`

/** The package's version, from its package.json. */
const version = (): string =>
  (
    JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as {
      version: string
    }
  ).version

/** Run the CLI on `argv` (without node and script); the output and exit code, or null for serve. */
export const run = async (argv: readonly string[]): Promise<Output | null> => {
  showAmountsIn("t")
  const [name, ...rest] = argv
  if (name === "--version" || name === "-v" || name === "version")
    return { text: `pulje ${version()}`, exitCode: EXIT.done }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined
    if (topic === undefined)
      return { text: mainHelp(), exitCode: name === undefined ? EXIT.usage : EXIT.done }
    const about = COMMANDS.find((c) => c.name === topic)
    if (!about)
      throw new UsageError(`ukendt kommando "${topic}"; der er ${COMMANDS.map((c) => c.name).join(", ")}`)
    return { text: about.help, exitCode: EXIT.done }
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command)
    throw new UsageError(`ukendt kommando "${name}"; der er ${COMMANDS.map((c) => c.name).join(", ")}`)
  if (rest.includes("--help") || rest.includes("-h")) return { text: command.help, exitCode: EXIT.done }
  return command.run(rest)
}

/**
 * What the command line says about an error, and its exit code: a user's mistake, data that
 * cannot be read, a solver that could not answer; null for a bug (which throws, with its stack).
 */
export const failure = (e: unknown): { readonly code: number; readonly message: string } | null => {
  // ConfigError (a bad PORT, HOST or SOLVER_THREADS) is matched by name: importing the server
  // module would load Fastify for every command.
  if (e instanceof UsageError || (e instanceof Error && e.name === "ConfigError"))
    return { code: EXIT.usage, message: e.message }
  if (e instanceof InvalidInput || e instanceof NotFound) return { code: EXIT.usage, message: e.message }
  if (e instanceof NoAnswer) return { code: EXIT.noPackage, message: e.message }
  if (e instanceof Busy || e instanceof Stopped) return { code: EXIT.failed, message: e.message }
  if (e instanceof DataDirError) return { code: EXIT.data, message: e.message }
  if (e instanceof DataFileError) return { code: EXIT.data, message: `data: ${e.message}` }
  if (e instanceof Error && "code" in e && e.code === "EADDRINUSE")
    return { code: EXIT.failed, message: e.message }
  return null
}

/** The command line as a program: prints, sets the exit code, never shows a stack trace for a user's mistake. */
export const main = async (): Promise<void> => {
  try {
    const out = await run(process.argv.slice(2))
    if (out === null) return
    for (const w of out.warnings ?? []) process.stderr.write(`pulje: advarsel: ${w}\n`)
    process.stdout.write(`${out.text}\n`)
    process.exitCode = out.exitCode
  } catch (e) {
    const f = failure(e)
    if (!f) throw e
    process.stderr.write(`pulje: ${f.message}\n`)
    process.exitCode = f.code
  }
}

if (process.argv[1] === import.meta.filename) await main()
