import { readlinkSync } from "node:fs"
import { setPriority } from "node:os"
import { parentPort, workerData } from "node:worker_threads"
import type { TaskControl, TaskData, TaskResult } from "./tasks.ts"

/**
 * The protocol between the pool (pool.ts) and a solver thread. The thread gets the loaded round
 * in its workerData (it never reads the data files, so a restarted thread answers from the same
 * data as the rest of the server) and one shared stop flag, which the pool raises to stop the
 * running task (a cancelled request, a task past its hard limit).
 */
export interface WorkerInit {
  readonly data: TaskData
  /** Int32 at index 0: non-zero asks the running task to stop. */
  readonly stop: SharedArrayBuffer
}

/** pool → thread: run this task. */
export interface TaskMessage {
  readonly id: number
  readonly task: unknown
}

/** thread → pool: a task's result, or the error it threw (a bug: the thread itself goes on). */
export type ReplyMessage =
  | { readonly id: number; readonly ok: true; readonly result: TaskResult }
  | { readonly id: number; readonly ok: false; readonly error: { message: string; stack?: string } }
  | { readonly ready: true }

/** Serve tasks on this thread with `handle`, until the pool ends it. */
export const serveTasks = <T>(handle: (data: TaskData, task: T, control: TaskControl) => TaskResult) => {
  const port = parentPort
  if (!port) throw new Error("serveTasks runs in a worker thread")
  lowerPriority()
  const { data, stop } = workerData as WorkerInit
  const flag = new Int32Array(stop)
  const control: TaskControl = { shouldStop: () => Atomics.load(flag, 0) !== 0 }
  port.on("message", ({ id, task }: TaskMessage) => {
    let reply: ReplyMessage
    try {
      reply = { id, ok: true, result: handle(data, task as T, control) }
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e))
      reply = {
        id,
        ok: false,
        error: { message: error.message, ...(error.stack ? { stack: error.stack } : {}) },
      }
    }
    port.postMessage(reply)
  })
  port.postMessage({ ready: true } satisfies ReplyMessage)
}

/** How much nicer a solver thread is than the event loop (Unix nice: 0 normal, 19 the lowest). */
export const SOLVER_NICENESS = 10

/**
 * Make this thread nicer than the event loop's, where the system allows it (Linux: nice is per
 * thread, and a thread may lower its own priority). When the solver threads have every core busy,
 * the event loop still gets a core as soon as it has work: /health and refusals answer at once,
 * and solves lose only the time the event loop really uses.
 */
const lowerPriority = () => {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop())
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, SOLVER_NICENESS)
  } catch {
    // not Linux, or not allowed: the threads run at the process's priority
  }
}
