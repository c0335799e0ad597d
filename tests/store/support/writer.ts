// Test helper (a worker thread): one of many concurrent writers. Opens the store (the first
// opening of a new file runs the migrations: all threads race for that), says "opened", waits
// for the shared package's id, then saves `count` packages of its own and `count` new versions
// of the shared one, each followed by three audit rows appended at once (one group commit).
import { parentPort, workerData } from "node:worker_threads"
import { openSqliteStore } from "../../../src/store/sqlite.ts"
import { packageDraft } from "./fixtures.ts"

const { file, writer, count } = workerData as { file: string; writer: number; count: number }
const store = openSqliteStore({ file })
const by = { keyId: `writer-${writer}` }
const shared = await new Promise<string>((resolve) => {
  parentPort?.once("message", (m: { shared: string }) => resolve(m.shared))
  parentPort?.postMessage("opened")
})
const own: string[] = []
const versions: number[] = []
for (let i = 0; i < count; i++) {
  own.push((await store.packages.create(packageDraft(`w${writer}-${i}`, i), by)).id)
  const r = await store.packages.update(shared, packageDraft(`shared-w${writer}-${i}`, i), by, {
    confidential: false,
  })
  if (r.status !== "ok") throw new Error(`update of the shared package: ${r.status}`)
  versions.push(r.saved.version)
  // Solves' audit rows, appended at once: one group commit, racing the other writers' commits.
  await Promise.all(
    [0, 1, 2].map((k) =>
      store.audit.append({ action: "solve", keyId: by.keyId, requestHash: `w${writer}-${i}-${k}` }),
    ),
  )
}
await store.close()
parentPort?.postMessage({ own, versions })
