import { parentPort, workerData } from "node:worker_threads"
import BetterSqlite3 from "better-sqlite3"
import type { AuditThreadOptions, CheckedAudit, WriterReply, WriterRequest } from "./auditThread.ts"
import { auditAppender } from "./sqlite.ts"

/**
 * The audit writer thread (see auditThread.ts): it commits each batch as it comes. The event loop
 * sends the next batch only once this one is answered, so the rows that arrive meanwhile go
 * together in the next commit: load and a slow disk make bigger commits rather than a queue.
 */
const port = parentPort
if (!port) throw new Error("auditWriter.ts runs in a worker thread")
const { file, busyTimeoutMs, sync } = workerData as AuditThreadOptions
const db = new BetterSqlite3(file, { timeout: busyTimeoutMs })
db.pragma(sync === "full" ? "synchronous = FULL" : "synchronous = NORMAL")
db.pragma("foreign_keys = ON")
const { appendAll } = auditAppender(db, () => new Date().toISOString())

const commit = ({ id, rows }: { id: number; rows: readonly CheckedAudit[] }): WriterReply => {
  try {
    return { id, entries: appendAll(rows) }
  } catch (e) {
    return { id, error: e instanceof Error ? e.message : String(e) }
  }
}

port.on("message", (m: WriterRequest) => {
  if ("close" in m) {
    db.close()
    port.close()
    return
  }
  port.postMessage(commit(m))
})
