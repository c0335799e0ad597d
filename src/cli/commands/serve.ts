import { parse, parseInteger } from "../args.ts"
import { type Command, confidentialFolder, dataFolder, type Output } from "../context.ts"

const serveCommandRun = async (argv: readonly string[]): Promise<Output | null> => {
  const { values } = parse("serve", argv, {
    port: { type: "string" },
    host: { type: "string" },
    threads: { type: "string" },
    processes: { type: "string" },
    data: { type: "string" },
    confidential: { type: "string" },
    help: { type: "boolean", short: "h" },
  })
  // Checked here, so that a folder that is not there gets the same message as in the other commands.
  const dataDir = values.data === undefined ? undefined : dataFolder(values.data)
  const confidentialDir = confidentialFolder(values.confidential)
  const { serveCluster } = await import("../../api/cluster.ts")
  await serveCluster({
    ...(values.processes === undefined
      ? {}
      : { processes: parseInteger("--processes", values.processes, 1, 64) }),
    ...(values.port === undefined ? {} : { port: parseInteger("--port", values.port, 0, 65535) }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.threads === undefined ? {} : { threads: parseInteger("--threads", values.threads, 1, 64) }),
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(confidentialDir === undefined ? {} : { confidentialDir }),
  })
  return null
}

export const serveCommand: Command = {
  name: "serve",
  summary: "start REST-tjenesten (http://127.0.0.1:3000, dokumentation på /docs)",
  help: `pulje serve [--port N] [--host H] [--threads N] [--processes N]: start REST-tjenesten

  --port N     port (standard: miljøvariablen PORT, ellers 3000)
  --host H     adresse (standard: HOST, ellers 127.0.0.1)
  --threads N  løser-tråde (standard: én pr. kerne; med flere processer delt mellem dem)
  --processes N  HTTP-processer om samme port (standard: PULJE_PROCESSES, ellers 1);
               hastighedsgrænsen gælder pr. proces
  --confidential DIR  mappen med de fortrolige forslag (eller PULJE_CONFIDENTIAL_DIR);
               kun nøgler med fortrolig adgang ser dem
Uden API-nøgler (pulje keys add) kører tjenesten åben og kun på en loopback-adresse.
Data (gemte pakker, revisionsspor, nøgler) ligger i PULJE_DATA_DIR (standard ./var).
Gemte pakker og nøgler skrives helt til disken, før der svares. Revisionssporets rækker for
beregninger overlever et nedbrud af processen; PULJE_AUDIT_SYNC=full skriver også dem helt til
disken før svaret (tåler strømsvigt, men giver færre svar i sekundet).
OpenAPI på /openapi.json, dokumentation på /docs.`,
  run: serveCommandRun,
}
