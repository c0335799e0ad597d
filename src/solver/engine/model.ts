import { Arena } from "./arena.ts"
import type { Knapsack } from "./problem.ts"

/**
 * The engine's static tables for one solve, after presolve: flat typed arrays, rows split into
 * capacities (max only, coefficients ≥ 0: these feed the bounds) and general rows (the rest:
 * checked with suffix bounds), options that can never be chosen banned, links propagated.
 */
export interface Model {
  readonly G: number
  readonly K: number
  /** Number of rows kept (capacities first, then general rows). */
  readonly R: number
  /** Capacities are rows 0 … C−1. */
  readonly C: number
  readonly groupOf: Int32Array
  readonly value: Float64Array
  /** Row-major coefficients: coef[k * R + r]. */
  readonly coef: Float64Array
  readonly max: Float64Array
  readonly min: Float64Array
  /** Original row index of each kept row. */
  readonly rowId: Int32Array
  /**
   * Options that may be chosen, group by group: group g's are opts[optFrom[g]] …
   * opts[optFrom[g + 1] − 1] (one array, not a typed array per group: a view costs ~100 bytes of
   * heap per solve).
   */
  readonly opts: Int32Array
  readonly optFrom: Int32Array
  /** 1 when the group must take an option. */
  readonly required: Uint8Array
  /** 1 when the option may never be chosen (forced out, alone too heavy, excluded by a link). */
  readonly banned: Uint8Array
  /** Links seen from each group: other group, and how. */
  readonly links: readonly GroupLink[][]
  /** The objective only takes integer values: a better package is better by at least 1. */
  readonly integral: boolean
  /**
   * Where this solve's typed arrays come from (the model's own and the search state's); a model
   * made otherwise than by buildModel may leave it out (see `arenaOf`).
   */
  readonly arena?: Arena
}

const ownArenas = new WeakMap<Model, Arena>()
/** The model's arena, or one of its own for a model made without one. */
export const arenaOf = (m: Model): Arena => {
  if (m.arena) return m.arena
  let a = ownArenas.get(m)
  if (!a) {
    a = new Arena()
    ownArenas.set(m, a)
  }
  return a
}

/** A link seen from one of its groups. */
export interface GroupLink {
  /** requires: this group needs `other`; requiredBy: `other` needs this group; excludes: not both. */
  readonly kind: "requires" | "requiredBy" | "excludes"
  readonly other: number
}

/** The links of a group that has none (shared, never written: see buildModel). */
const NO_LINKS: GroupLink[] = []
/**
 * The options of group g as a view (for set-up and tests: the hot loops walk `opts` from
 * `optFrom[g]` by index, which allocates nothing and is faster than for-of over a typed array).
 */
export const groupOptions = (m: Model, g: number): Int32Array =>
  m.opts.subarray(m.optFrom[g] ?? 0, m.optFrom[g + 1] ?? 0)

/**
 * Presolve a problem into the engine's tables, or say it is infeasible before any search. Written
 * as plain loops over typed arrays: on a city's round (30 options) this runs on every solve and
 * used to cost as much as the search itself.
 */
export const buildModel = (p: Knapsack): Model | "infeasible" => {
  const K = p.values.length
  const G = p.groups
  const rows = p.rows
  // Room for the model and the search state of a small problem in one buffer.
  const a = new Arena(16 * (K * (rows.length + 8) + 3 * (G + 1) * (rows.length + 1)) + 1024)
  const groupOf = a.i32(K)
  for (let k = 0; k < K; k++) groupOf[k] = p.groupOf[k] ?? 0
  const banned = a.u8(K)
  const required = a.u8(G)
  if (p.required) for (let g = 0; g < G; g++) required[g] = p.required[g] ? 1 : 0
  for (const k of p.forceOut ?? []) banned[k] = 1
  for (const k of p.forceIn ?? []) {
    const g = groupOf[k] ?? 0
    required[g] = 1
    for (let j = 0; j < K; j++) if (groupOf[j] === g && j !== k) banned[j] = 1
  }
  // Rows: a capacity has only a max and no negative coefficient. An option heavier than a
  // capacity alone can never be chosen.
  const isCap = a.u8(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]
    if (!r || r.max === undefined || r.min !== undefined) continue
    const c = r.coefs
    let ok = 1
    for (let k = 0; k < K; k++)
      if ((c[k] ?? 0) < 0) {
        ok = 0
        break
      }
    isCap[i] = ok
    if (ok) for (let k = 0; k < K; k++) if ((c[k] ?? 0) > r.max) banned[k] = 1
  }
  const links = p.links ?? []
  const count = a.i32(G)
  for (let k = 0; k < K; k++) {
    const g = groupOf[k] ?? 0
    if (!banned[k]) count[g] = (count[g] ?? 0) + 1
  }
  // Propagate until nothing changes: a group that cannot take an option makes whoever requires
  // it take none; a required group makes what it requires required and what it excludes empty.
  if (links.length)
    for (let changed = true; changed; ) {
      changed = false
      for (const l of links) {
        if (l.kind === "excludes" && l.a === l.b) {
          if (empty(l.a, count, groupOf, banned)) changed = true
        } else if (l.kind === "excludes") {
          if (required[l.a] && empty(l.b, count, groupOf, banned)) changed = true
          if (required[l.b] && empty(l.a, count, groupOf, banned)) changed = true
        } else if (l.a !== l.b) {
          if (!count[l.b] && empty(l.a, count, groupOf, banned)) changed = true
          if (required[l.a] && !required[l.b]) {
            required[l.b] = 1
            changed = true
          }
        }
      }
      for (let g = 0; g < G; g++) if (required[g] && !count[g]) return "infeasible"
    }
  else for (let g = 0; g < G; g++) if (required[g] && !count[g]) return "infeasible"
  const optFrom = a.i32(G + 1)
  for (let g = 0; g < G; g++) optFrom[g + 1] = (optFrom[g] ?? 0) + (count[g] ?? 0)
  const opts = a.i32(optFrom[G] ?? 0)
  const fill = a.i32(G)
  for (let k = 0; k < K; k++) {
    if (banned[k]) continue
    const g = groupOf[k] ?? 0
    const at = fill[g] ?? 0
    opts[(optFrom[g] ?? 0) + at] = k
    fill[g] = at + 1
  }

  // Drop capacities that no package can break (the heaviest option of every group fits); keep
  // the capacities first, then the general rows, each in their own order.
  const caps: number[] = []
  const general: number[] = []
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]
    if (!r) continue
    if (!isCap[i]) {
      general.push(i)
      continue
    }
    let heaviest = 0
    for (let g = 0; g < G; g++) {
      let most = 0
      const end = optFrom[g + 1] ?? 0
      for (let i = optFrom[g] ?? 0; i < end; i++) {
        const c = r.coefs[opts[i] ?? 0] ?? 0
        if (c > most) most = c
      }
      heaviest += most
    }
    if (heaviest > (r.max ?? 0)) caps.push(i)
  }
  const keep = caps.concat(general)
  const R = keep.length
  const C = caps.length
  const coef = a.f64(K * R)
  const max = a.f64(R)
  const min = a.f64(R)
  const rowId = a.i32(R)
  for (let r = 0; r < R; r++) {
    const row = rows[keep[r] ?? 0]
    const c = row?.coefs ?? []
    for (let k = 0; k < K; k++) coef[k * R + r] = c[k] ?? 0
    rowId[r] = keep[r] ?? 0
    max[r] = row?.max ?? Number.POSITIVE_INFINITY
    min[r] = row?.min ?? Number.NEGATIVE_INFINITY
  }
  // A group without links shares one empty list (most groups of a round: no array per group per
  // solve), and a problem without links one list of those per number of groups.
  const groupLinks: GroupLink[][] = links.length ? new Array(G).fill(NO_LINKS) : unlinked(G)
  for (const l of links) {
    if (l.a === l.b) continue
    if (l.kind === "excludes") {
      addLink(groupLinks, l.a, { kind: "excludes", other: l.b })
      addLink(groupLinks, l.b, { kind: "excludes", other: l.a })
    } else {
      addLink(groupLinks, l.a, { kind: "requires", other: l.b })
      addLink(groupLinks, l.b, { kind: "requiredBy", other: l.a })
    }
  }
  const value = a.f64(K)
  let integral = true
  for (let k = 0; k < K; k++) value[k] = p.values[k] ?? 0
  for (let k = 0; k < K; k++)
    if (!Number.isInteger(value[k])) {
      integral = false
      break
    }
  return {
    G,
    K,
    R,
    C,
    groupOf,
    value,
    coef,
    max,
    min,
    rowId,
    opts,
    optFrom,
    required,
    banned,
    links: groupLinks,
    integral,
    arena: a,
  }
}

const unlinkedBySize = new Map<number, GroupLink[][]>()
/** The links of G groups that have none (shared, never written: see buildModel). */
const unlinked = (G: number): GroupLink[][] => {
  let l = unlinkedBySize.get(G)
  if (!l) {
    if (unlinkedBySize.size >= 64) unlinkedBySize.clear()
    l = new Array(G).fill(NO_LINKS)
    unlinkedBySize.set(G, l)
  }
  return l
}

/**
 * Ban every option of group g and count it empty; whether it had any left. Module functions, not
 * closures made per solve (tsx, which runs the bench, names each closure with a defineProperty).
 */
const empty = (g: number, count: Int32Array, groupOf: Int32Array, banned: Uint8Array): boolean => {
  if (!count[g]) return false
  for (let k = 0; k < groupOf.length; k++) if (groupOf[k] === g) banned[k] = 1
  count[g] = 0
  return true
}

/** Add a link to group g's list (its own list, not the shared NO_LINKS). */
const addLink = (groupLinks: GroupLink[][], g: number, l: GroupLink): void => {
  if (groupLinks[g] === NO_LINKS) groupLinks[g] = []
  groupLinks[g]?.push(l)
}

/**
 * Whether a package (one option or −1 per group) keeps every row, link and forcing of the model:
 * the exact check every heuristic's package passes before it becomes the incumbent.
 */
export const keepsEveryRule = (m: Model, pick: Int32Array): boolean => {
  const sum = new Float64Array(m.R)
  for (let g = 0; g < m.G; g++) {
    const k = pick[g] ?? -1
    if (k < 0) {
      if (m.required[g]) return false
      continue
    }
    if (m.banned[k] || m.groupOf[k] !== g) return false
    for (let r = 0; r < m.R; r++) sum[r] = (sum[r] ?? 0) + (m.coef[k * m.R + r] ?? 0)
  }
  for (let r = 0; r < m.R; r++)
    if ((sum[r] ?? 0) > (m.max[r] ?? 0) || (sum[r] ?? 0) < (m.min[r] ?? 0)) return false
  for (let g = 0; g < m.G; g++) {
    const on = (pick[g] ?? -1) >= 0
    for (const l of m.links[g] ?? []) {
      const other = (pick[l.other] ?? -1) >= 0
      if (on && l.kind === "requires" && !other) return false
      if (on && l.kind === "excludes" && other) return false
    }
  }
  return true
}

/** The value of a package (one option or −1 per group). */
export const packageValue = (m: Model, pick: Int32Array): number => {
  let v = 0
  for (let g = 0; g < m.G; g++) {
    const k = pick[g] ?? -1
    if (k >= 0) v += m.value[k] ?? 0
  }
  return v
}
