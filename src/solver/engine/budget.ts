import type { KnapsackOptions } from "./problem.ts"

/** A quick search's node cap: its own, or the caller's node limit where that is lower. */
export const nodeCapOf = (own: number, options: KnapsackOptions): number =>
  Math.min(own, options.nodeLimit ?? Number.POSITIVE_INFINITY)

/** When a search started at `t0` must stop (performance.now() time; infinite without a limit). */
export const deadlineOf = (t0: number, options: KnapsackOptions): number =>
  options.timeLimitMs === undefined ? Number.POSITIVE_INFINITY : t0 + options.timeLimitMs

/**
 * Whether a quick search's budget is spent at its `nodes`-th node: past its node cap, or, read
 * every 256 nodes only (the clock and the caller's stop cost more than a node), past its
 * deadline or asked to stop.
 */
export const spent = (nodes: number, cap: number, deadline: number, options: KnapsackOptions): boolean =>
  nodes > cap || ((nodes & 255) === 0 && (performance.now() > deadline || options.shouldStop?.() === true))
