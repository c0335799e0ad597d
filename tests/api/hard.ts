import { generatedProposals } from "./generated.ts"

/**
 * A whole problem the exact solver cannot prove within seconds: 100 made-up proposals of three
 * variants under whole-period and per-year limits. It is sent to a solver thread (it has new
 * proposals), so it holds a thread for as long as its time limit.
 */
export const hardProblem = (timeLimitMs: number, extra: Record<string, unknown> = {}) => ({
  rules: {
    limits: {
      service: 150000,
      anlaeg: 100000,
      perYear: [
        { area: "service", year: 2026, max: 60000 },
        { area: "anlaeg", year: 2026, max: 50000 },
        { area: "combined", year: 2027, max: 70000 },
      ],
    },
    payback: { maxYears: null },
  },
  proposals: [],
  inlineProposals: generatedProposals(100, 3, 11),
  timeLimitMs,
  ...extra,
})
