import type { Proposal } from "../../src/model/schema.ts"

/** A small deterministic PRNG (mulberry32), so generated problems are the same on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const YEARS = [2026, 2027, 2028, 2029, 2030, 2031]

/**
 * `count` made-up proposals (ids BC00, BC01, ...), each with `variants` variants of different
 * size, costs spread over the years in both areas and a saving that pays back within 2-6 years.
 * Hard enough that the exact solver cannot prove its optimum in a few milliseconds.
 */
export const generatedProposals = (count: number, variants = 3, seed = 7): Proposal[] => {
  const rnd = random(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1))
  return Array.from({ length: count }, (_, i) => {
    const id = `BC${String(i).padStart(2, "0")}`
    return {
      id,
      title: `Genereret forslag ${id}`,
      committee:
        ["Økonomiudvalget", "Socialudvalget", "Børne- og Ungdomsudvalget"][i % 3] ?? "Økonomiudvalget",
      administration: "Testforvaltningen",
      summary: "",
      risk: "",
      adminEffect: null,
      anomalies: [],
      source: { firstLine: 1, lastLine: 1 },
      variants: Array.from({ length: variants }, (_, k) => {
        const scale = 1 + k * 0.6 + rnd() * 0.3
        const service = Math.round(int(200, 9000) * scale)
        const anlaeg = rnd() < 0.5 ? 0 : Math.round(int(200, 9000) * scale)
        const saving = Math.round(((service + anlaeg) / int(2, 5)) * (0.8 + rnd() * 0.4))
        return {
          id: k === 0 ? "base" : `scenario-${k + 1}`,
          label: `Tabel ${k + 1}`,
          unitPrinted: "1.000 kr. 2027 p/l",
          priceLevel: 2027,
          years: YEARS,
          lines: [
            {
              label: "Effektivisering",
              section: "permanent" as const,
              area: "service" as const,
              printedArea: "Service",
              values: [0, -Math.round(saving / 2), -saving, -saving, -saving, -saving],
            },
            {
              label: "Implementering, service",
              section: "implementation" as const,
              area: "service" as const,
              printedArea: "Service",
              values: [Math.round(service / 2), service - Math.round(service / 2), 0, 0, 0, 0],
            },
            {
              label: "Implementering, anlæg",
              section: "implementation" as const,
              area: "anlaeg" as const,
              printedArea: "Anlæg",
              values: [anlaeg, 0, 0, 0, 0, 0],
            },
          ],
          totals: [],
          payback: [],
        }
      }),
    }
  })
}
