/**
 * Typed arrays carved out of a few shared buffers. Node allocates every typed array larger than
 * 64 bytes outside the JavaScript heap, at about 0,7 µs each here; a solve of a city's round
 * needs a few dozen such arrays and little else, so their allocation was a good part of its
 * time. A view on an existing buffer costs a few dozen nanoseconds. An arena belongs to one
 * solve (its model and search state); when the solve is done with it, `release` hands a buffer
 * to the next arena (zeroed again): its first, or, when it had to grow, one as large as all it
 * used, so that a run of small solves allocates none.
 */
export class Arena {
  private buffer: ArrayBuffer
  private readonly first: ArrayBuffer
  private at = 0
  /** Bytes handed out over all buffers (with alignment), and whether it took more than the first. */
  private used = 0
  private grew = false
  private released = false

  /** `bytes`: the size of the first buffer (more are added as needed). */
  constructor(private readonly bytes = 4096) {
    const s = spare
    if (s && s.byteLength >= bytes && s.byteLength <= 4 * bytes) {
      spare = null
      new Uint8Array(s).fill(0)
      this.buffer = s
    } else this.buffer = new ArrayBuffer(bytes)
    this.first = this.buffer
  }

  /**
   * Hand the first buffer to the next arena. Only when no view of this arena is used any more:
   * the next solve writes over them.
   */
  release(): void {
    if (this.released) return
    this.released = true
    spare = this.grew ? new ArrayBuffer(Math.ceil((this.used + 64) / 1024) * 1024) : this.first
  }

  /** Whether it took more than its first buffer (for tests). */
  get grown(): boolean {
    return this.grew
  }

  /** `size` bytes aligned to `align`, from the current buffer or a new one; zeroed. */
  private take(size: number, align: number): number {
    let at = Math.ceil(this.at / align) * align
    this.used += at - this.at + size
    if (at + size > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(Math.max(this.bytes, size))
      this.grew = true
      at = 0
    }
    this.at = at + size
    return at
  }

  f64(n: number): Float64Array {
    const at = this.take(n * 8, 8)
    return new Float64Array(this.buffer, at, n)
  }

  i32(n: number): Int32Array {
    const at = this.take(n * 4, 4)
    return new Int32Array(this.buffer, at, n)
  }

  u8(n: number): Uint8Array {
    const at = this.take(n, 1)
    return new Uint8Array(this.buffer, at, n)
  }
}

/** A buffer released by the last arena, for the next one. */
let spare: ArrayBuffer | null = null

/**
 * One live object per class, kept only so that the class's hidden class stays alive. V8 holds a
 * hidden class that no live object has only weakly: a full garbage collection between two
 * solves frees those of the search's objects (they all die with the solve), and every optimised
 * function that had seen one is thrown away ("weak objects" in --trace-deopt) and compiled again
 * over the next few hundred solves, a few ms of the main thread's time each (issue 8). A solve
 * hands its search object here when it is done; the search holds its model and arena.
 */
const kept = new Map<unknown, object>()
export const keepShape = (o: object): void => {
  kept.set(o.constructor, o)
}
