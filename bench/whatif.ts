/** Proposals the benchmarks' what-ifs may lock in (variants of the OFS 2025-26 round). */
const LOCKABLE = ["BC05", "BC07", "BC08", "BC20", "BC26", "BC32", "BC34", "BC35", "BC38", "BC41"]

/** A what-if no cache could have seen: random pool sizes (1.000 kr.) and up to two locks, as JSON. */
export const randomWhatIf = (): string => {
  const pick = () => LOCKABLE[Math.floor(Math.random() * LOCKABLE.length)] as string
  const locks = [...new Set(Array.from({ length: Math.floor(Math.random() * 3) }, pick))]
  return JSON.stringify({
    rules: {
      limits: {
        service: 60_000 + Math.floor(Math.random() * 80_000),
        anlaeg: 50_000 + Math.floor(Math.random() * 70_000),
      },
      locks: locks.map((proposal) => ({ proposal })),
    },
  })
}
