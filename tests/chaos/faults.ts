/**
 * The faults of tests/chaos/faultyWorker.ts, chosen by a task's time limit (ms): every way a
 * solver thread can fail. Any other time limit solves as the real thread does.
 */
export const FAULT = {
  /** The thread exits in the middle of a task. */
  exit: 7001,
  /** The task is answered, then the thread throws outside any task (an 'error' event). */
  throwLater: 7002,
  /** The task never looks at its stop flag: only ending the thread stops it. */
  spin: 7003,
  /** The task throws (a bug in the solver). */
  throwNow: 7004,
} as const
