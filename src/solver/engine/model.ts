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
  /** Options that may be chosen, per group. */
  readonly groupOpts: readonly Int32Array[]
  /** 1 when the group must take an option. */
  readonly required: Uint8Array
  /** 1 when the option may never be chosen (forced out, alone too heavy, excluded by a link). */
  readonly banned: Uint8Array
  /** Links seen from each group: other group, and how. */
  readonly links: readonly GroupLink[][]
  /** The objective only takes integer values: a better package is better by at least 1. */
  readonly integral: boolean
}

/** A link seen from one of its groups. */
export interface GroupLink {
  /** requires: this group needs `other`; requiredBy: `other` needs this group; excludes: not both. */
  readonly kind: "requires" | "requiredBy" | "excludes"
  readonly other: number
}

/** Presolve a problem into the engine's tables, or say it is infeasible before any search. */
export const buildModel = (p: Knapsack): Model | "infeasible" => {
  const K = p.values.length
  const G = p.groups
  const banned = new Uint8Array(K)
  const required = Uint8Array.from({ length: G }, (_, g) => (p.required?.[g] ? 1 : 0))
  for (const k of p.forceOut ?? []) banned[k] = 1
  for (const k of p.forceIn ?? []) {
    const g = p.groupOf[k] ?? 0
    required[g] = 1
    p.groupOf.forEach((h, j) => {
      if (h === g && j !== k) banned[j] = 1
    })
  }
  // Rows: a capacity has only a max and no negative coefficient.
  const isCap = p.rows.map((r) => r.max !== undefined && r.min === undefined && r.coefs.every((c) => c >= 0))
  for (let i = 0; i < p.rows.length; i++) {
    const r = p.rows[i]
    if (!r || !isCap[i]) continue
    const cap = r.max ?? 0
    for (let k = 0; k < K; k++) if ((r.coefs[k] ?? 0) > cap) banned[k] = 1
  }
  const alive = (g: number) => {
    const out: number[] = []
    for (let k = 0; k < K; k++) if (p.groupOf[k] === g && !banned[k]) out.push(k)
    return out
  }
  let groupOpts = Array.from({ length: G }, (_, g) => alive(g))
  const links = p.links ?? []
  // Propagate until nothing changes: a group that cannot take an option makes whoever requires
  // it take none; a required group makes what it requires required and what it excludes empty.
  for (let changed = true; changed; ) {
    changed = false
    const empty = (g: number) => {
      for (const k of groupOpts[g] ?? []) banned[k] = 1
      if (groupOpts[g]?.length) changed = true
      groupOpts[g] = []
    }
    for (const l of links) {
      if (l.kind === "excludes" && l.a === l.b) empty(l.a)
      else if (l.kind === "excludes") {
        if (required[l.a]) empty(l.b)
        if (required[l.b]) empty(l.a)
      } else if (l.a !== l.b) {
        if (!groupOpts[l.b]?.length) empty(l.a)
        if (required[l.a] && !required[l.b]) {
          required[l.b] = 1
          changed = true
        }
      }
    }
    for (let g = 0; g < G; g++) if (required[g] && !groupOpts[g]?.length) return "infeasible"
  }
  groupOpts = groupOpts.map((ks) => ks.filter((k) => !banned[k]))

  // Drop capacities that no package can break (the heaviest option of every group fits).
  const keep: number[] = []
  p.rows.forEach((r, i) => {
    if (isCap[i]) {
      let heaviest = 0
      for (const ks of groupOpts) {
        let m = 0
        for (const k of ks) m = Math.max(m, r.coefs[k] ?? 0)
        heaviest += m
      }
      if (heaviest <= (r.max ?? 0)) return
    }
    keep.push(i)
  })
  keep.sort((a, b) => Number(isCap[b]) - Number(isCap[a]) || a - b)
  const R = keep.length
  const C = keep.filter((i) => isCap[i]).length
  const coef = new Float64Array(K * R)
  keep.forEach((i, r) => {
    const c = p.rows[i]?.coefs ?? []
    for (let k = 0; k < K; k++) coef[k * R + r] = c[k] ?? 0
  })
  const groupLinks: GroupLink[][] = Array.from({ length: G }, () => [])
  for (const l of links) {
    if (l.a === l.b) continue
    if (l.kind === "excludes") {
      groupLinks[l.a]?.push({ kind: "excludes", other: l.b })
      groupLinks[l.b]?.push({ kind: "excludes", other: l.a })
    } else {
      groupLinks[l.a]?.push({ kind: "requires", other: l.b })
      groupLinks[l.b]?.push({ kind: "requiredBy", other: l.a })
    }
  }
  return {
    G,
    K,
    R,
    C,
    groupOf: Int32Array.from(p.groupOf),
    value: Float64Array.from(p.values),
    coef,
    max: Float64Array.from(keep, (i) => p.rows[i]?.max ?? Number.POSITIVE_INFINITY),
    min: Float64Array.from(keep, (i) => p.rows[i]?.min ?? Number.NEGATIVE_INFINITY),
    rowId: Int32Array.from(keep),
    groupOpts: groupOpts.map((ks) => Int32Array.from(ks)),
    required,
    banned,
    links: groupLinks,
    integral: p.values.every((v) => Number.isInteger(v)),
  }
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
