import { z } from "zod"

/**
 * The application's errors: what went wrong, in the terms of the use case, without HTTP status
 * codes or exit codes. src/api maps them to status codes, src/cli to exit codes.
 */

/** One bad field of an input: where (e.g. "body.rules.limits.service") and what is wrong with it. */
export const Issue = z.object({
  path: z.string().describe('Where, e.g. "body.rules.limits.service"'),
  message: z.string(),
})
export type Issue = z.infer<typeof Issue>

/** "limits.perYear[0].max" from ["limits", "perYear", 0, "max"], under an optional prefix. */
export const formatPath = (path: readonly PropertyKey[], prefix = ""): string =>
  path.reduce<string>(
    (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc === "" ? String(k) : `${acc}.${String(k)}`),
    prefix,
  )

const summarise = (issues: readonly Issue[]) =>
  issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")

/** Something asked for by id does not exist; `known` lists the ids that do. */
export class NotFound extends Error {
  override readonly name = "NotFound"
  constructor(
    readonly what: string,
    readonly id: string,
    readonly known: readonly string[],
  ) {
    super(known.length ? `no ${what} "${id}"; known: ${known.join(", ")}` : `no ${what} "${id}"`)
  }
}

/** A change based on a version that is no longer the latest: nothing was saved. */
export class Conflict extends Error {
  override readonly name = "Conflict"
}

/** The input cannot be used: each bad field with its path. */
export class InvalidInput extends Error {
  override readonly name = "InvalidInput"
  constructor(readonly issues: readonly Issue[]) {
    super(summarise(issues))
  }

  /** From a zod error, each issue's path under `prefix` (e.g. "body.rules"). */
  static fromZod(
    error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
    prefix: string,
  ) {
    return new InvalidInput(
      error.issues.map((i) => ({ path: formatPath(i.path, prefix), message: i.message })),
    )
  }
}

/** As many tasks as the server takes are running or waiting: try again after `retryAfterS` seconds. */
export class Busy extends Error {
  override readonly name = "Busy"
  constructor(readonly retryAfterS = 1) {
    super("the server is busy solving; try again in a moment")
  }
}

/** A task ran past its hard time limit (counted from when it started, not from when it was queued) and was stopped. */
export class Stopped extends Error {
  override readonly name = "Stopped"
  constructor(
    readonly afterMs: number,
    readonly queuedMs: number,
  ) {
    super(
      `the solve ran for ${afterMs} ms without finishing and was stopped (it had waited ${Math.round(queuedMs)} ms for a solver thread before); try a smaller time limit or a node limit`,
    )
  }
}

/** The one who asked has gone (e.g. the client hung up): the task was dropped or stopped. */
export class Cancelled extends Error {
  override readonly name = "Cancelled"
  constructor() {
    super("the request was cancelled")
  }
}

/** A solver thread failed while running a task (a bug; the thread is replaced). */
export class WorkerFailed extends Error {
  override readonly name = "WorkerFailed"
}

/** The question is well formed but has no answer of the kind asked for (e.g. compare when an item has no package). */
export class NoAnswer extends Error {
  override readonly name = "NoAnswer"
}
