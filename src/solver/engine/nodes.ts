/**
 * Node selection. An open node is a path of decisions from the root (shared between siblings, so
 * a node costs one small object) with an upper bound on what it can still reach. The queue hands
 * out the node with the largest bound first (best-bound), so the proven bound of the whole search,
 * the largest bound left in the queue, goes down as the search goes on.
 */
export interface Path {
  /** The option chosen at depth `depth − 1` (−1: none). */
  readonly k: number
  readonly depth: number
  readonly parent: Path | null
}

export interface OpenNode {
  readonly bound: number
  readonly path: Path | null
}

/** The decisions of a path, from the root: out[d] is the option chosen at depth d (−1: none). */
export const decisions = (path: Path | null): Int32Array => {
  const out = new Int32Array(path?.depth ?? 0)
  for (let p = path; p; p = p.parent) out[p.depth - 1] = p.k
  return out
}

/** A binary max-heap of open nodes by bound. */
export class NodeQueue {
  private readonly heap: OpenNode[] = []

  get size(): number {
    return this.heap.length
  }

  /** The largest bound in the queue (−Infinity when empty). */
  get topBound(): number {
    return this.heap[0]?.bound ?? Number.NEGATIVE_INFINITY
  }

  push(node: OpenNode): void {
    const h = this.heap
    h.push(node)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if ((h[p]?.bound ?? 0) >= node.bound) break
      h[i] = h[p] as OpenNode
      i = p
    }
    h[i] = node
  }

  pop(): OpenNode | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (!h.length || !last) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= h.length) break
      const r = l + 1
      const c = r < h.length && (h[r]?.bound ?? 0) > (h[l]?.bound ?? 0) ? r : l
      if ((h[c]?.bound ?? 0) <= last.bound) break
      h[i] = h[c] as OpenNode
      i = c
    }
    h[i] = last
    return top
  }

  /** Drop every node whose bound is below `cut` (they cannot hold a better package). */
  prune(cut: number): void {
    const keep = this.heap.filter((n) => n.bound >= cut)
    this.heap.length = 0
    for (const n of keep) this.push(n)
  }
}
