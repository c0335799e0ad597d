// Test helper (a worker thread): one of many concurrent writers. Waits for the shared start
// signal, then saves `count` packages of its own and `count` new versions of the shared one.
import { parentPort, workerData } from "node:worker_threads"
import { openSqliteStore } from "../../../src/store/sqlite.ts"
import { packageDraft } from "./fixtures.ts"

const { file, writer, count, shared, start } = workerData as {
  file: string
  writer: number
  count: number
  shared: string
  start: SharedArrayBuffer
}
const store = openSqliteStore({ file })
const by = { keyId: `writer-${writer}` }
const flag = new Int32Array(start)
Atomics.add(flag, 1, 1)
Atomics.notify(flag, 1)
Atomics.wait(flag, 0, 0)
const own: string[] = []
const versions: number[] = []
for (let i = 0; i < count; i++) {
  own.push((await store.packages.create(packageDraft(`w${writer}-${i}`, i), by)).id)
  const r = await store.packages.update(shared, packageDraft(`shared-w${writer}-${i}`, i), by, {
    confidential: false,
  })
  if (r.status !== "ok") throw new Error(`update of the shared package: ${r.status}`)
  versions.push(r.saved.version)
}
await store.close()
parentPort?.postMessage({ own, versions })
