import { Role } from "../../app/caller.ts"
import { createKey, listKeys, revokeKey } from "../../app/useCases/admin.ts"
import { storeOf } from "../../app/useCases/savedPackages.ts"
import { parse, UsageError } from "../args.ts"
import { type Command, json, type Output, ok, storeContext } from "../context.ts"
import { renderTable } from "../table.ts"

const OPTIONS = {
  role: { type: "string" },
  name: { type: "string" },
  confidential: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

/** pulje keys add|list|revoke: the service's API keys. */
const keysCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { values, positionals } = parse("keys", argv, OPTIONS, true)
  const [sub, id] = positionals
  // Whoever can run this can read the database: they may give any grant.
  const ctx = storeContext().forCaller({ keyId: null, role: "admin", confidential: true })
  try {
    switch (sub) {
      case "add": {
        const role = Role.safeParse(values.role)
        if (!role.success) throw new UsageError("--role skal være reader, negotiator eller admin")
        if (!values.name) throw new UsageError("--name skal sige, hvis nøglen er")
        const k = await createKey(ctx, {
          name: values.name,
          role: role.data,
          confidential: values.confidential === true,
        })
        if (values.json) return json(k)
        return ok([
          k.key,
          "",
          `Nøgle ${k.record.id} (${k.record.name}, ${k.record.role}${k.record.confidential ? ", fortrolig adgang" : ""}).`,
          "Nøglen vises kun denne ene gang; send den som Authorization: Bearer <nøgle>.",
        ])
      }
      case "list": {
        const { keys } = await listKeys(ctx)
        if (values.json) return json({ keys })
        if (!keys.length) return ok("Ingen nøgler: tjenesten kører åben, og kun på 127.0.0.1.")
        return ok(
          renderTable(
            [
              { header: ["Id"] },
              { header: ["Navn"] },
              { header: ["Rolle"] },
              { header: ["Fortrolig"] },
              { header: ["Oprettet (UTC)"] },
              { header: ["Tilbagekaldt"] },
            ],
            keys.map((k) => [
              k.id,
              k.name,
              k.role,
              k.confidential ? "ja" : "nej",
              k.createdAt.slice(0, 16).replace("T", " "),
              k.revokedAt ? k.revokedAt.slice(0, 16).replace("T", " ") : "",
            ]),
          ),
        )
      }
      case "revoke": {
        if (!id) throw new UsageError("pulje keys revoke skal have nøglens id")
        await revokeKey(ctx, id)
        return ok(`Nøgle ${id} er tilbagekaldt.`)
      }
      default:
        throw new UsageError(`pulje keys ${sub ?? ""}: skriv add, list eller revoke ID`)
    }
  } finally {
    await storeOf(ctx).close()
  }
}

export const keysCommand: Command = {
  name: "keys",
  summary: "API-nøgler: add, list, revoke",
  help: `pulje keys add --role reader|negotiator|admin [--confidential] --name NAVN
pulje keys list
pulje keys revoke ID

add viser nøglen én gang (kun en hash gemmes). reader læser, negotiator løser, vurderer og
gemmer, admin styrer også nøgler og ser revisionssporet; --confidential giver adgang til de
fortrolige forslag. Nøglerne gemmes i PULJE_DATA_DIR (standard ./var).`,
  run: keysCommandRun,
}
