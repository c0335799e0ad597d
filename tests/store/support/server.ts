// Test helper (a child process): the REST service over the store at argv[2], solving on its own
// thread, listening on a free loopback port that it prints as "port <n>". With argv[3] "thread",
// audit rows are committed by the writer thread (as `pulje serve` does), else on the event loop.
import { buildApp } from "../../../src/api/app.ts"
import { openSqliteStore } from "../../../src/store/sqlite.ts"

const app = await buildApp({
  threads: 0,
  store: openSqliteStore({ file: process.argv[2] ?? "", auditThread: process.argv[3] === "thread" }),
})
await app.listen({ host: "127.0.0.1", port: 0 })
const address = app.server.address()
process.stdout.write(`port ${typeof address === "object" && address ? address.port : 0}\n`)
