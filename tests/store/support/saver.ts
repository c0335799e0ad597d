// Test helper (a child process): saves packages in a stream into the store at argv[2] and prints
// "ack <id> <version> <name>" on stdout after each save has committed, until it is killed.
import type { PackageBody } from "../../../src/store/bodies.ts"
import { openSqliteStore } from "../../../src/store/sqlite.ts"
import type { Change } from "../../../src/store/store.ts"
import { packageDraft } from "./fixtures.ts"

const [file = "", tag = "run"] = process.argv.slice(2)
const store = openSqliteStore({ file })
const view = { confidential: false }
const by = { keyId: `saver-${tag}` }
let last: string | null = null
for (let i = 0; ; i++) {
  const name = `${tag}-${i}`
  // Every third save is a new version of the last package, so that versions are tested as well.
  const r: Change<PackageBody> =
    last !== null && i % 3 === 2
      ? await store.packages.update(last, packageDraft(name, i), by, view)
      : { status: "ok" as const, saved: await store.packages.create(packageDraft(name, i), by) }
  if (r.status !== "ok") throw new Error(`save ${name}: ${r.status}`)
  last = r.saved.id
  process.stdout.write(`ack ${r.saved.id} ${r.saved.version} ${name}\n`)
}
