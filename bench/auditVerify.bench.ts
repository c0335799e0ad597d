/**
 * The audit chain check on a large trail: a store file with --rows solve rows (appended through
 * the store's own appender, one transaction), then the chain checks timed (a first read, a read one row later, a full check), with the event loop's
 * longest stall meanwhile (what a /health request would wait). --store: the sqlite.ts module to
 * use (another checkout's, for an A/B).
 *   npm run bench:chain [-- --rows 300000 --rounds 3 --store ../other/src/store/sqlite.ts]
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"
import BetterSqlite3 from "better-sqlite3"

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "300000" },
    rounds: { type: "string", default: "3" },
    store: { type: "string", default: "src/store/sqlite.ts" },
  },
})
const rows = Number(args.rows)
const mod = (await import(pathToFileURL(resolve(args.store)).href)) as typeof import("../src/store/sqlite.ts")
const dir = await mkdtemp(join(tmpdir(), "pulje-verify-"))
const file = join(dir, "audit.sqlite")
{
  await mod.openSqliteStore({ file }).close()
  const db = new BetterSqlite3(file)
  const { appendAll } = mod.auditAppender(db, () => new Date().toISOString())
  const hex = (i: number) => i.toString(16).padStart(64, "0")
  for (let done = 0; done < rows; done += 50_000) {
    const n = Math.min(50_000, rows - done)
    appendAll(
      Array.from({ length: n }, (_, i) => ({
        action: "solve" as const,
        keyId: "k1",
        subject: "ofs-2025-26",
        requestHash: hex(done + i),
        resultHash: hex(done + i + 1),
        objective: done + i,
        confidential: false,
      })),
    )
  }
  db.close()
}

const timed = async (label: string, run: () => Promise<unknown>) => {
  // a 1 ms ticker: the longest gap between its ticks is the longest stall of the event loop
  let last = performance.now()
  let stall = 0
  const tick = setInterval(() => {
    const t = performance.now()
    stall = Math.max(stall, t - last)
    last = t
  }, 1)
  const t0 = performance.now()
  const result = await run()
  const ms = performance.now() - t0
  await new Promise((r) => setTimeout(r, 5))
  clearInterval(tick)
  console.log(
    `${label}: ${ms.toFixed(1)} ms, longest event-loop stall ${stall.toFixed(1)} ms, ${JSON.stringify(result)}`,
  )
}
for (let r = 0; r < Number(args.rounds); r++) {
  const store = mod.openSqliteStore({ file })
  const { audit } = store
  // (a checkout without the incremental check ignores the argument and checks every row)
  await timed(`round ${r} first read`, () => audit.verify("incremental"))
  await audit.append({ action: "solve", keyId: "k1", requestHash: "x" })
  await timed(`round ${r} next read, 1 row later`, () => audit.verify("incremental"))
  await timed(`round ${r} full check`, () => audit.verify("full"))
  await store.close()
}
await rm(dir, { recursive: true, force: true })
