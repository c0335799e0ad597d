import { Worker } from "node:worker_threads"
import type { z } from "zod"
import type { AuditEntry, AuditInput } from "./schema.ts"
import { siblingModule, threadEntry } from "./thread.ts"

/**
 * The audit writer thread: it owns a connection of its own to the store's file and commits the
 * batches of audit rows the event loop hands it, each batch in one transaction (group commit;
 * synced to disk as `sync` says), then answers with the rows as written. The event loop neither builds
 * the rows (hash chain) nor waits for the disk. Rows of saves and key changes are still written
 * on the store's own connection, inside the transaction of their change: both connections take
 * the write lock for each write, so the chain stays one chain.
 */

/** An audit row as checked by AuditInput (defaults filled in). */
export type CheckedAudit = z.output<typeof AuditInput>

/** Where appended rows go: the store connection's own group commit, or the writer thread. */
export interface AuditSink {
  /** Commit these rows in one transaction; resolves once they are durable. */
  send(batch: readonly CheckedAudit[]): Promise<AuditEntry[]>
  /** Let the rows sent be committed, then stop. */
  close(): Promise<void>
}

export interface AuditThreadOptions {
  /** The database file (already created and migrated). */
  readonly file: string
  /** How long the thread waits for another writer's lock, ms. */
  readonly busyTimeoutMs: number
  /** "full": sync each commit to disk; "normal": commit in the WAL only (see SqliteOptions.auditSync). */
  readonly sync: "normal" | "full"
}

/** event loop → thread: a batch to commit, or the last message. */
export type WriterRequest =
  | { readonly id: number; readonly rows: readonly CheckedAudit[] }
  | { readonly close: true }
/** thread → event loop: a batch's rows as written, or why it failed. */
export type WriterReply =
  | { readonly id: number; readonly entries: AuditEntry[] }
  | { readonly id: number; readonly error: string }

interface Sent {
  resolve(entries: AuditEntry[]): void
  reject(e: Error): void
}

/**
 * The event loop's side of the writer thread. The thread is started on the first batch and
 * again after a failure (the batches it held fail with it); it keeps the process alive only while
 * a batch waits for its commit.
 */
export const auditThread = (options: AuditThreadOptions): AuditSink => {
  const entry = threadEntry(siblingModule(import.meta.dirname, "auditWriter", import.meta.filename))
  const sent = new Map<number, Sent>()
  let nextId = 1
  let worker: Worker | undefined
  let exited: Promise<void> = Promise.resolve()

  const failAll = (e: Error) => {
    for (const s of sent.values()) s.reject(e)
    sent.clear()
  }
  const start = (): Worker => {
    const w = new Worker(entry.entry, { eval: entry.eval, workerData: options })
    exited = new Promise((resolve) => w.once("exit", () => resolve()))
    w.on("message", (m: WriterReply) => {
      const s = sent.get(m.id)
      sent.delete(m.id)
      if (sent.size === 0) w.unref()
      if (!s) return
      if ("error" in m) s.reject(new Error(m.error))
      else s.resolve(m.entries)
    })
    w.on("error", (e) => {
      if (worker === w) worker = undefined
      failAll(e)
    })
    w.on("exit", (code) => {
      if (worker === w) worker = undefined
      failAll(new Error(`the audit writer thread exited (code ${code})`))
    })
    return w
  }

  return {
    send(rows) {
      worker ??= start()
      const w = worker
      const id = nextId++
      return new Promise<AuditEntry[]>((resolve, reject) => {
        sent.set(id, { resolve, reject })
        w.ref()
        w.postMessage({ id, rows } satisfies WriterRequest)
      })
    },
    async close() {
      const w = worker
      worker = undefined
      if (!w) return
      w.ref()
      w.postMessage({ close: true } satisfies WriterRequest)
      await exited
    },
  }
}
