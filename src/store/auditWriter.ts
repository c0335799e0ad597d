import { parentPort, workerData } from "node:worker_threads"
import BetterSqlite3 from "better-sqlite3"
import type { AuditThreadOptions, CheckedAudit, WriterReply, WriterRequest } from "./auditThread.ts"
import { auditAppender } from "./sqlite.ts"

/**
 * The audit writer thread (see auditThread.ts): batches that arrive while it commits one are
 * committed together next, so a slow disk makes bigger commits rather than a queue.
 */
const port = parentPort
if (!port) throw new Error("auditWriter.ts runs in a worker thread")
const { file, busyTimeoutMs } = workerData as AuditThreadOptions
const db = new BetterSqlite3(file, { timeout: busyTimeoutMs })
db.pragma("synchronous = FULL")
db.pragma("foreign_keys = ON")
const { appendAll } = auditAppender(db, () => new Date().toISOString())

let waiting: { id: number; rows: readonly CheckedAudit[] }[] = []
const commit = () => {
  const batches = waiting
  waiting = []
  if (batches.length === 0) return
  let replies: WriterReply[]
  try {
    const entries = appendAll(batches.flatMap((b) => b.rows))
    let at = 0
    replies = batches.map((b) => {
      const from = at
      at += b.rows.length
      return { id: b.id, entries: entries.slice(from, at) }
    })
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e)
    replies = batches.map((b) => ({ id: b.id, error }))
  }
  for (const r of replies) port.postMessage(r)
}

port.on("message", (m: WriterRequest) => {
  if ("close" in m) {
    commit()
    db.close()
    port.close()
    return
  }
  if (waiting.push(m) === 1) setImmediate(commit)
})
