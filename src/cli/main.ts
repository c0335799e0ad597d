import { ApiError } from "../api/errors.ts"
import { DataFileError } from "../model/load.ts"
import { parse, parseInteger, UsageError } from "./args.ts"
import type { Output } from "./context.ts"
import { auditCommand, proposalsCommand, scenariosCommand } from "./data.ts"
import { compareCommand, evaluateCommand, solveCommand } from "./packages.ts"

/**
 * pulje: choose which investment proposals to fund from the investment pool.
 * Tables for people (Danish numbers, the document's terms); --json for scripts.
 * Exit codes: 0 done; 1 no package (infeasible or out of time) or bad data; 2 bad arguments.
 */

const RULE_HELP = `  --scenario ID          scenariets regler (standard: ofs-2025-26; se pulje scenarios)
  --service-pool N       service-puljen i 1.000 kr. 2026 p/l, fx 100.000
  --anlaeg-pool N        anlægs-puljen i 1.000 kr. 2026 p/l, fx 87.500
  --combined-pool N      service og anlæg samlet, 1.000 kr. 2026 p/l
  --max-payback N|none   tilbagebetalingstid højst N år; none slår kravet fra
  --lock BC10:scenario-2 forslaget skal med (i den variant); kan gentages
  --exclude BC24         forslaget må ikke komme med; kan gentages
  --exempt BC10          forslaget er undtaget kravet om tilbagebetalingstid
  --max-proposals N      højst N forslag i pakken
  --engine bb|lp         bb: eksakt branch-and-bound (standard); lp: javascript-lp-solver
  --time-limit MS        stop søgningen efter MS millisekunder (standard 10.000)
  --json                 JSON til scripts i stedet for tabeller
  --data DIR             en anden datamappe (overview.json, proposals/, scenarios/)`

const HELP: Record<string, string> = {
  main: `pulje – vælg hvilke investeringsforslag investeringspuljen skal finansiere (OFS 2025-2026)

Brug: pulje <kommando> [tilvalg]

Kommandoer:
  solve       den bedste pakke under et scenaries regler (uden tilvalg: standardscenariet)
  evaluate    vurder en håndplukket pakke: BC05 BC10:scenario-2 ...
  compare     sammenlign scenarier og pakker: --scenario A --scenario B
  proposals   forslagene med puljemidler, effekt og tilbagebetalingstid
  scenarios   de navngivne scenarier
  audit       konsistenstjek af dokumentets trykte tal
  serve       start REST-tjenesten (http://127.0.0.1:3000, dokumentation på /docs)

Alle beløb er i 1.000 kr.; prisniveauet står i hver tabel. Se pulje <kommando> --help.
Slutkoder: 0 færdig, 1 ingen pakke (umulig eller tiden løb ud), 2 forkerte argumenter.`,
  solve: `pulje solve [tilvalg]: den bedste pakke under et scenaries regler, med ændringer

${RULE_HELP}

Eksempler:
  pulje solve
  pulje solve --scenario bc10-scenario-2
  pulje solve --service-pool 120.000 --lock BC10:scenario-2 --exempt BC10`,
  evaluate: `pulje evaluate BC05 BC10:scenario-2 ... [tilvalg]: vurder en håndplukket pakke

Viser om pakken overholder reglerne (og hvilke den bryder), dens totaler pr. område og år,
hvad der er tilbage i puljerne, afstanden til optimum og den bedste udbygning.

${RULE_HELP}`,
  compare: `pulje compare --scenario A --scenario B [--package BC05,BC07 ...]: side om side

  --scenario ID          et scenaries optimum; kan gentages
  --package LISTE        en håndplukket pakke under standardscenariets regler; kan gentages
  --engine, --time-limit, --json, --data som ved solve
Forskellene regnes mod den første.`,
  proposals: `pulje proposals [--committee NAVN] [--area service|anlaeg] [--json]

  --committee NAVN       kun forslag fra udvalget (hele navnet eller en del, fx social)
  --area service|anlaeg  kun forslag med puljemidler i området`,
  scenarios: "pulje scenarios [--json]: de navngivne scenarier med puljer og krav",
  audit: `pulje audit [--json]: konsistenstjek

Én række pr. sted hvor et trykt tal (totaler, tilbagebetalingstid, oversigten) afviger fra det,
forslagets linjer giver, og om forslagets anomaliliste registrerer det. Til sidst en optælling.`,
  serve: `pulje serve [--port N] [--host H] [--threads N]: start REST-tjenesten

  --port N     port (standard: miljøvariablen PORT, ellers 3000)
  --host H     adresse (standard: HOST, ellers 127.0.0.1)
  --threads N  løser-tråde (standard: én pr. kerne)
OpenAPI på /openapi.json, dokumentation på /docs.`,
}

const serveCommand = async (argv: readonly string[]): Promise<Output | null> => {
  const { values } = parse("serve", argv, {
    port: { type: "string" },
    host: { type: "string" },
    threads: { type: "string" },
    data: { type: "string" },
    help: { type: "boolean", short: "h" },
  })
  const { serve } = await import("../api/server.ts")
  await serve({
    ...(values.port === undefined ? {} : { port: parseInteger("--port", values.port, 0, 65535) }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.threads === undefined ? {} : { threads: parseInteger("--threads", values.threads, 1, 64) }),
    ...(values.data === undefined ? {} : { dataDir: values.data }),
  })
  return null
}

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<Output | null>> = {
  solve: solveCommand,
  evaluate: evaluateCommand,
  compare: compareCommand,
  proposals: proposalsCommand,
  scenarios: scenariosCommand,
  audit: auditCommand,
  serve: serveCommand,
}

/** Run the CLI on `argv` (without node and script); the output and exit code, or null for serve. */
export const run = async (argv: readonly string[]): Promise<Output | null> => {
  const [command, ...rest] = argv
  if (command === undefined || command === "--help" || command === "-h" || command === "help")
    return { text: HELP.main ?? "", exitCode: command === undefined ? 2 : 0 }
  const fn = COMMANDS[command]
  if (!fn) throw new UsageError(`ukendt kommando "${command}"; der er ${Object.keys(COMMANDS).join(", ")}`)
  if (rest.includes("--help") || rest.includes("-h")) return { text: HELP[command] ?? "", exitCode: 0 }
  return fn(rest)
}

/** The command line as a program: prints, sets the exit code, never shows a stack trace for a user's mistake. */
export const main = async (): Promise<void> => {
  try {
    const out = await run(process.argv.slice(2))
    if (out === null) return
    process.stdout.write(`${out.text}\n`)
    process.exitCode = out.exitCode
  } catch (e) {
    const fail = (code: number, message: string) => {
      process.stderr.write(`pulje: ${message}\n`)
      process.exitCode = code
    }
    // ConfigError (a bad PORT, HOST or SOLVER_THREADS) is matched by name: importing the server
    // module would load Fastify for every command.
    if (e instanceof UsageError || (e instanceof Error && e.name === "ConfigError")) fail(2, e.message)
    else if (e instanceof ApiError) fail(e.statusCode < 500 && e.statusCode !== 422 ? 2 : 1, e.message)
    else if (e instanceof DataFileError) fail(1, `data: ${e.message}`)
    else if (e instanceof Error && "code" in e && (e.code === "ENOENT" || e.code === "EADDRINUSE"))
      fail(1, e.message)
    else throw e
  }
}

if (process.argv[1] === import.meta.filename) await main()
