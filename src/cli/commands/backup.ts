import { storeOf } from "../../app/useCases/savedPackages.ts"
import { parse, UsageError } from "../args.ts"
import { type Command, type Output, ok, storeContext } from "../context.ts"

/** pulje backup FILE: a consistent copy of the store, taken while it may be in use. */
const backupCommandRun = async (argv: readonly string[]): Promise<Output> => {
  const { positionals } = parse("backup", argv, { help: { type: "boolean", short: "h" } }, true)
  const [file, ...extra] = positionals
  if (!file || extra.length) throw new UsageError("pulje backup skal have præcis én fil at skrive kopien til")
  const ctx = storeContext()
  try {
    await storeOf(ctx).backup(file)
  } finally {
    await storeOf(ctx).close()
  }
  return ok(`Kopi af lageret skrevet til ${file} (gemte pakker, revisionsspor, nøgler).`)
}

export const backupCommand: Command = {
  name: "backup",
  summary: "kopiér lageret (gemte pakker, revisionsspor, nøgler) mens tjenesten kører",
  help: `pulje backup FIL: en sammenhængende kopi af lageret i PULJE_DATA_DIR (standard ./var)

Bruger SQLites online backup, så tjenesten kan køre imens. Kopien er selv et lager:
start med PULJE_DATA_DIR sat til dens mappe (filen skal hedde pulje.sqlite) for at bruge den.`,
  run: backupCommandRun,
}
