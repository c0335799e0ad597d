import { availableParallelism } from "node:os"
import { performance } from "node:perf_hooks"
import { Worker } from "node:worker_threads"
import { siblingModule, threadEntry } from "../store/thread.ts"
import { Busy, Cancelled, Stopped, WorkerFailed } from "./errors.ts"
import { runTask, type Task, type TaskControl, type TaskData, type TaskResult } from "./tasks.ts"
import type { ReplyMessage, WorkerInit } from "./workerLoop.ts"

/**
 * Tells that the one who asked is gone: an AbortSignal, or anything as small that keeps its
 * promise (a request's, see api/limits.ts: an AbortSignal costs microseconds to make).
 */
export interface StopSignal {
  readonly aborted: boolean
  addEventListener(type: "abort", listener: () => void, options?: { readonly once?: boolean }): void
  removeEventListener(type: "abort", listener: () => void): void
}

/** How a task is run: its backstop and who can cancel it. */
export interface RunOptions {
  /** Stop the task after it has run this long (counted from its start, not from its queueing). */
  readonly hardLimitMs: number
  /** Aborted: drop the task if it waits, stop it if it runs (a client that hung up). */
  readonly signal?: StopSignal | undefined
}

/** A task's result, and how long it waited for a thread and ran (ms; no wait when run inline). */
export interface Ran {
  readonly result: TaskResult
  readonly queuedMs: number
  readonly runMs: number
}

/** Runs solver tasks; errors are Busy, Stopped, Cancelled or WorkerFailed. */
export interface SolverPool {
  readonly threads: number
  run(task: Task, options: RunOptions): Promise<Ran>
  /** Tasks running and waiting now. */
  load(): { readonly running: number; readonly queued: number }
  /** True when a task sent to a thread now would be Busy: a caller can refuse work before preparing it. */
  saturated(): boolean
  /** How many tasks may run and wait at once (threads + queue places). */
  readonly capacity: number
  /** Whole seconds after which a task refused now as Busy may well be taken (see WaitEstimate). */
  retryAfterS(): number
  /** Replace every solver thread (running tasks fail with WorkerFailed). */
  recycle(): Promise<void>
  close(): Promise<void>
}

export interface PoolOptions {
  /** The loaded round: handed to every thread, which never reads the data files itself. */
  readonly data: TaskData
  /** Worker threads (default: one per core). */
  readonly threads?: number | undefined
  /** Tasks that may wait for a thread; beyond threads + maxQueue tasks, new ones are Busy (default 32). */
  readonly maxQueue?: number | undefined
  /** After a stop request, how long a thread may take to stop before it is ended (ms, default 1000). */
  readonly graceMs?: number | undefined
  /**
   * Small tasks run on the calling thread first with this budget of search work (in nodes,
   * deterministic): one that needs more is handed to a thread. 0 sends every task to a thread (default).
   */
  readonly inlineNodes?: number | undefined
  /** Told of every fault of a thread (and of errors no one waits for any more). Default: none. */
  readonly onError?: ((error: Error, what: string) => void) | undefined
  /** The thread's module (default worker.ts beside this file); tests pass a faulty one. */
  readonly workerUrl?: URL | undefined
  /** The time per task behind Retry-After (default a new one); tests pass one with a history. */
  readonly wait?: WaitEstimate | undefined
}

const defaultWorkerUrl = () => siblingModule(import.meta.dirname, "worker", import.meta.filename)

interface Job {
  readonly task: Task
  readonly hardLimitMs: number
  readonly signal: StopSignal | undefined
  readonly queuedAt: number
  startedAt: number
  done: boolean
  resolve(r: Ran): void
  reject(e: Error): void
  unlisten(): void
}

interface Slot {
  worker: Worker
  readonly flag: Int32Array
  ready: boolean
  /** The task it runs; `job.done` once answered or given up (the thread may still be stopping). */
  job: Job | undefined
  jobId: number
  limitTimer: NodeJS.Timeout | undefined
  killTimer: NodeJS.Timeout | undefined
  failures: number
}

/** A task's error as the thread sent it, with the thread's stack. */
const failure = (error: { message: string; stack?: string }): WorkerFailed => {
  const e = new WorkerFailed(error.message)
  if (error.stack) e.stack = error.stack
  return e
}

/**
 * How long a refused caller should wait before trying again: the time the threads need to work
 * off what is running and waiting now, at the recent time per task (a moving average of the
 * tasks' run times on the threads), in whole seconds from 1 to 60. Before any task has run, 1 s.
 */
export class WaitEstimate {
  private meanMs: number | undefined

  /** A task ran on a thread for this long (ms). */
  record(runMs: number): void {
    this.meanMs = this.meanMs === undefined ? runMs : this.meanMs + 0.2 * (runMs - this.meanMs)
  }

  /** Whole seconds until `running + queued` tasks are done on `threads` threads, from 1 to 60. */
  retryAfterS(running: number, queued: number, threads: number): number {
    if (this.meanMs === undefined) return 1
    const ms = ((running + queued) * this.meanMs) / Math.max(1, threads)
    return Math.min(60, Math.max(1, Math.ceil(ms / 1000)))
  }
}

/** Thrown out of an inline run when its work budget is spent: the task goes to a thread. */
const HANDOVER = Symbol("handover")

/**
 * Whether a task is small enough to try on the event loop: a solve, evaluation or comparison
 * (an analysis does not read the work budget), the exact engine (it does), no proposals sent
 * with it, and few rules (a conflict explanation re-solves per rule).
 */
const inlineCandidate = (task: Task): boolean => {
  if (task.engine !== "bb" || task.kind === "analysis") return false
  const rules =
    task.kind === "compare"
      ? task.items.map((i) => i.rules)
      : [task.rules, ...(task.kind === "solve" && task.compareRules ? [task.compareRules] : [])]
  if (task.kind === "solve" && task.proposals.inline.length > 0) return false
  if (task.kind === "compare" && task.items.length > 4) return false
  return rules.every(
    (r) =>
      r.limits.perYear.length +
        r.locks.length +
        r.exclude.length +
        r.committees.length +
        r.dependencies.length +
        Object.keys(r.variants).length <=
      24,
  )
}

/**
 * A pool of solver threads, sized to the cores. It keeps its own queue, so that it knows when a
 * task starts (the hard limit counts from then), can cap running + waiting tasks (Busy beyond),
 * can drop a cancelled task from the queue or stop it cooperatively (a shared flag the search
 * reads; the thread is ended only if it does not stop within `graceMs`), and replaces a thread
 * that fails without ever taking the server down.
 */
export const workerPool = (options: PoolOptions): SolverPool => {
  const threads = Math.max(1, options.threads ?? availableParallelism())
  const maxQueue = options.maxQueue ?? 32
  const graceMs = options.graceMs ?? 1000
  const inlineChecks = Math.ceil((options.inlineNodes ?? 0) / 256)
  const entry = threadEntry(options.workerUrl ?? defaultWorkerUrl())
  const report = options.onError ?? (() => {})
  const queue: Job[] = []
  const slots: Slot[] = []
  const wait = options.wait ?? new WaitEstimate()
  let nextId = 1
  let closed = false

  const settle = (slot: Slot) => {
    clearTimeout(slot.limitTimer)
    slot.limitTimer = undefined
    const job = slot.job
    slot.job = undefined
    if (job) {
      job.unlisten()
      wait.record(performance.now() - job.startedAt)
    }
    return job
  }

  /** Ask the running task to stop; end the thread if it does not within the grace time. */
  const stopRunning = (slot: Slot, error: Error) => {
    const job = slot.job
    if (!job || job.done) return
    job.done = true
    job.reject(error)
    Atomics.store(slot.flag, 0, 1)
    clearTimeout(slot.killTimer)
    slot.killTimer = setTimeout(() => {
      if (slot.job === job) replace(slot, "a solver thread did not stop within the grace time and was ended")
    }, graceMs)
  }

  const start = (slot: Slot) => {
    const worker = new Worker(entry.entry, {
      eval: entry.eval,
      workerData: { data: options.data, stop: slot.flag.buffer as SharedArrayBuffer } satisfies WorkerInit,
    })
    slot.worker = worker
    slot.ready = false
    worker.on("message", (m: ReplyMessage) => {
      if (slot.worker !== worker) return
      if ("ready" in m) {
        slot.ready = true
        slot.failures = 0
        dispatch()
        return
      }
      if (m.id !== slot.jobId) return
      clearTimeout(slot.killTimer)
      const job = settle(slot)
      if (job && !job.done) {
        job.done = true
        if (m.ok)
          job.resolve({
            result: m.result,
            queuedMs: job.startedAt - job.queuedAt,
            runMs: performance.now() - job.startedAt,
          })
        else job.reject(failure(m.error))
      } else if (job && !m.ok) {
        // The answer went out already (or the client left): the error still needs to be seen.
        report(failure(m.error), "a solver task failed after its request was answered")
      }
      dispatch()
    })
    worker.on("error", (e) => {
      if (slot.worker !== worker) return
      report(e, "a solver thread failed")
      const job = slot.job
      if (job && !job.done) {
        job.done = true
        job.reject(new WorkerFailed(`the solver thread failed: ${e.message}`))
      }
    })
    worker.on("exit", (code) => {
      if (slot.worker !== worker || closed) return
      const wasReady = slot.ready
      slot.ready = false
      const job = settle(slot)
      if (job && !job.done) {
        job.done = true
        job.reject(new WorkerFailed(`the solver thread exited (code ${code})`))
      }
      if (!wasReady) slot.failures++
      report(
        new WorkerFailed(`solver thread exited with code ${code}`),
        "a solver thread exited; starting a new one",
      )
      // A thread that cannot even start (e.g. its module fails to load) would otherwise spin:
      // wait longer each time, and fail the waiting tasks while no thread is up.
      if (slot.failures > 0 && !slots.some((s) => s.ready))
        failQueued(new WorkerFailed("no solver thread could start"))
      const delay = slot.failures === 0 ? 0 : Math.min(5000, 50 * 2 ** slot.failures)
      setTimeout(() => {
        if (!closed && slot.worker === worker) start(slot)
      }, delay).unref()
    })
  }

  /** End a thread now (its task fails) and start another in its place. */
  const replace = (slot: Slot, why: string) => {
    const old = slot.worker
    const job = settle(slot)
    if (job && !job.done) {
      job.done = true
      job.reject(new WorkerFailed(why))
    }
    report(new WorkerFailed(why), "replacing a solver thread")
    clearTimeout(slot.killTimer)
    start(slot)
    void old.terminate()
  }

  const failQueued = (error: Error) => {
    for (const job of queue.splice(0)) {
      job.done = true
      job.unlisten()
      job.reject(error)
    }
  }

  const dispatch = () => {
    for (const slot of slots) {
      if (queue.length === 0) return
      if (!slot.ready || slot.job) continue
      const job = queue.shift() as Job
      slot.job = job
      slot.jobId = nextId++
      job.startedAt = performance.now()
      Atomics.store(slot.flag, 0, 0)
      slot.limitTimer = setTimeout(
        () => stopRunning(slot, new Stopped(job.hardLimitMs, job.startedAt - job.queuedAt)),
        job.hardLimitMs,
      )
      slot.worker.postMessage({ id: slot.jobId, task: job.task })
    }
  }

  for (let i = 0; i < threads; i++) {
    const slot = {
      flag: new Int32Array(new SharedArrayBuffer(4)),
      ready: false,
      job: undefined,
      jobId: 0,
      limitTimer: undefined,
      killTimer: undefined,
      failures: 0,
    } as unknown as Slot
    slots.push(slot)
    start(slot)
  }

  const running = () => slots.filter((s) => s.job !== undefined).length

  /** The task on this thread within the work budget, or undefined when it needs more. */
  const inline = (task: Task): TaskResult | undefined => {
    let checks = 0
    const control: TaskControl = {
      shouldStop: () => {
        if (++checks > inlineChecks) throw HANDOVER
        return false
      },
    }
    try {
      return runTask(options.data, task, control)
    } catch (e) {
      if (e === HANDOVER) return undefined
      throw e
    }
  }

  return {
    threads,
    capacity: threads + maxQueue,
    load: () => ({ running: running(), queued: queue.length }),
    saturated: () => running() + queue.length >= threads + maxQueue,
    retryAfterS: () => wait.retryAfterS(running(), queue.length, threads),
    run(task, { hardLimitMs, signal }) {
      if (closed) return Promise.reject(new WorkerFailed("the solver pool is closed"))
      if (signal?.aborted) return Promise.reject(new Cancelled())
      // A small task runs here (within its work budget; one that needs more goes to a thread).
      if (inlineChecks > 0 && inlineCandidate(task)) {
        const t0 = performance.now()
        const result = inline(task)
        if (result) return Promise.resolve({ result, queuedMs: 0, runMs: performance.now() - t0 })
      }
      if (this.saturated()) return Promise.reject(new Busy(this.retryAfterS()))
      return new Promise<Ran>((resolve, reject) => {
        const onAbort = () => {
          if (job.done) return
          const i = queue.indexOf(job)
          if (i >= 0) {
            queue.splice(i, 1)
            job.done = true
            job.unlisten()
            reject(new Cancelled())
            return
          }
          const slot = slots.find((s) => s.job === job)
          if (slot) stopRunning(slot, new Cancelled())
        }
        const job: Job = {
          task,
          hardLimitMs,
          signal,
          queuedAt: performance.now(),
          startedAt: 0,
          done: false,
          resolve,
          reject,
          unlisten: () => signal?.removeEventListener("abort", onAbort),
        }
        signal?.addEventListener("abort", onAbort, { once: true })
        queue.push(job)
        dispatch()
      })
    },
    async recycle() {
      for (const slot of slots) replace(slot, "the solver threads were recycled")
    },
    async close() {
      closed = true
      failQueued(new WorkerFailed("the solver pool is closed"))
      await Promise.all(
        slots.map((slot) => {
          const job = settle(slot)
          if (job && !job.done) {
            job.done = true
            job.reject(new WorkerFailed("the solver pool is closed"))
          }
          clearTimeout(slot.killTimer)
          return slot.worker.terminate()
        }),
      )
    },
  }
}

/** Tasks run on the calling thread: for the CLI and tools, where nothing else waits. */
export const inlinePool = (data: TaskData): SolverPool => ({
  threads: 0,
  capacity: Number.POSITIVE_INFINITY,
  run: async (task) => ({ result: runTask(data, task), queuedMs: 0, runMs: 0 }),
  load: () => ({ running: 0, queued: 0 }),
  saturated: () => false,
  retryAfterS: () => 1,
  recycle: async () => {},
  close: async () => {},
})
