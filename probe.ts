import { compile } from "./src/solver/compile.ts"
import { runEngine } from "./src/solver/lower.ts"
import { violations } from "./src/solver/check.ts"
import { Rules } from "./src/solver/rules.ts"
import { randomInstance } from "./tests/support/generate.ts"
import { solveWithHighs } from "./tests/support/highs.ts"
const from = Number(process.argv[2] ?? 1), to = Number(process.argv[3] ?? 100)
let worst = 0, worstSeed = 0, total = 0, bad = 0
for (let seed = from; seed <= to; seed++) {
  const inst = randomInstance(seed, 5 + ((seed * 37) % 76))
  const p = compile(inst.proposals, Rules.parse(inst.rules))
  const t = performance.now()
  const r = runEngine(p, "bb", { timeLimitMs: 20000 })
  const ms = performance.now() - t
  total += ms
  if (ms > worst) { worst = ms; worstSeed = seed }
  const h = await solveWithHighs(p)
  const ok = r.status === h.status && r.objective === h.objective && (!r.choice || violations(p, r.choice).length === 0)
  if (!ok) { bad++; console.log("MISMATCH", seed, r.status, r.objective, h.status, h.objective, r.nodes, r.stoppedBy) }
}
console.log({ total: total.toFixed(0), worst: worst.toFixed(1), worstSeed, bad })
