import { parentPort, workerData } from "node:worker_threads"
import BetterSqlite3 from "better-sqlite3"
import type { AuditThreadOptions, CheckedAudit, WriterReply, WriterRequest } from "./auditThread.ts"
import { auditAppender } from "./sqlite.ts"

/**
 * The audit writer thread (see auditThread.ts): batches that arrive while it commits one, or
 * within GATHER_MS of the last commit's start, are committed together next, so load and a slow
 * disk make bigger commits rather than a queue.
 */
const port = parentPort
if (!port) throw new Error("auditWriter.ts runs in a worker thread")
const { file, busyTimeoutMs } = workerData as AuditThreadOptions
const db = new BetterSqlite3(file, { timeout: busyTimeoutMs })
db.pragma("synchronous = FULL")
db.pragma("foreign_keys = ON")
const { appendAll } = auditAppender(db, () => new Date().toISOString())

/**
 * Commits start at least this far apart (ms). A commit's sync to disk costs about 0,15 ms of CPU
 * whatever it holds, so under load the rows of this span share one; when the service is quiet
 * a row is committed at once.
 */
const GATHER_MS = 2

let waiting: { id: number; rows: readonly CheckedAudit[] }[] = []
let lastStart = Number.NEGATIVE_INFINITY
const schedule = () => {
  const wait = lastStart + GATHER_MS - performance.now()
  if (wait <= 0) setImmediate(commit)
  else setTimeout(commit, wait)
}
const commit = () => {
  lastStart = performance.now()
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
  if (waiting.push(m) === 1) schedule()
})
