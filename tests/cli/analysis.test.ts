import { describe, expect, it } from "vitest"
import { loadRound } from "../../src/app/round.ts"
import { UsageError } from "../../src/cli/args.ts"
import { run } from "../../src/cli/main.ts"
import { bindingText, ruleTextShown } from "../../src/cli/render.ts"
import { showAmountsIn } from "../../src/cli/text.ts"
import { formatDanish } from "../../src/model/format.ts"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"
import { compile } from "../../src/solver/compile.ts"
import { Rules } from "../../src/solver/rules.ts"
import { solve } from "../../src/solver/solve.ts"

const cli = async (...args: string[]) => {
  const out = await run(args)
  if (!out) throw new Error("no output")
  return out
}
const { proposals } = loadRound(BUILT_IN_ROUND_DIR)
const DEFAULT = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })

describe("pulje frontier | explain | alternatives | robustness", () => {
  it("frontier prints Danish steps naming unit and price level; --json gives the same steps", async () => {
    const r = await cli("frontier", "--from", "99.000", "--to", "100.500")
    expect(r.exitCode).toBe(0)
    expect(r.text).toContain("(1.000 kr., 2026 p/l)")
    expect(r.text).toContain("(1.000 kr., 2027 p/l)")
    expect(r.text).toMatch(/99\.181\s+79\.157\s+\+320\s+BC20/)
    const j = JSON.parse((await cli("frontier", "--from", "99.000", "--to", "100.500", "--json")).text)
    // --from and --to are typed in the unit asked for, like every other amount.
    const m = JSON.parse(
      (await cli("frontier", "--unit", "mio", "--from", "99", "--to", "100,5", "--json")).text,
    )
    expect([m.result.from, m.result.to]).toEqual([99000, 100500])
    const step = j.result.steps.find((s: { objective: number }) => s.objective === 79157)
    expect(step.pool).toBe(99181)
    // The step's pool and 1.000 kr. below it, solved directly (the library's figures are checked against HiGHS in its tests).
    const at = solve(proposals, { ...DEFAULT, limits: { ...DEFAULT.limits, service: step.pool } })
    const below = solve(proposals, { ...DEFAULT, limits: { ...DEFAULT.limits, service: step.pool - 1 } })
    expect(at.status === "optimal" && at.objective).toBe(79157)
    expect(below.status === "optimal" && below.objective).toBeLessThan(79157)
  })

  it("explain BC24 says which rule keeps it out and what an exemption would change", async () => {
    const r = await cli("explain", "BC24")
    expect(r.exitCode).toBe(0)
    expect(r.text).toContain("BC24 er udelukket af reglen: tilbagebetalingstid højst 6 år")
    expect(r.text).toContain("17.902")
    await expect(cli("explain", "BC99")).rejects.toThrow(UsageError)
    // A proposal a lock keeps in: taking it out would raise the saving.
    const locked = await cli("explain", "--scenario", "bc10-scenario-2", "BC10")
    expect(locked.text).toContain(
      "BC10:scenario-2 er med. Uden den stiger den årlige effektivisering med 4.594",
    )
  })

  it("explain --unit mio writes the explanation's amounts in mio. kr.; the default is the API's own sentence", async () => {
    const j = JSON.parse((await cli("explain", "BC06", "BC24", "BC05", "--json")).text).result
    const option = (id: string) => j.options.find((o: { proposal: string }) => o.proposal === id)
    const mio = (x: number) => `${formatDanish(x / 1000, 1)} mio. kr. (${j.tablePriceLevel} p/l)`
    const r = await cli("explain", "BC06", "BC24", "BC05", "--unit", "mio")
    expect(r.text).toContain(`koster det ${mio(option("BC06").priceIn)} om året`)
    expect(r.text).toContain(`mindst ${mio(option("BC06").savingThreshold)} større`)
    expect(r.text).toContain(
      `servicedel er mindst ${mio(option("BC06").costThresholds[0].reduction)} billigere`,
    )
    expect(r.text).toContain(`ville koste ${mio(option("BC24").exempted.priceIn)} om året`)
    expect(r.text).toContain(`falder den årlige effektivisering med ${mio(option("BC05").priceOut)}`)
    expect(r.text).toContain(`om året (mio. kr., ${j.tablePriceLevel} p/l)`)
    expect(r.text).not.toContain("1.000 kr.")
    // A small amount is not said as "0,0": BC20's price (under 50 (1.000 kr.)) gets two decimals.
    const small = JSON.parse((await cli("explain", "BC20", "--json")).text).result.options[0]
    expect(small.priceOut).toBeGreaterThan(0)
    expect(small.priceOut).toBeLessThan(50)
    const s20 = await cli("explain", "BC20", "--unit", "mio")
    expect(s20.text).toContain(
      `falder den årlige effektivisering med ${formatDanish(small.priceOut / 1000, 2)} mio. kr.`,
    )
    // In 1.000 kr. (the default) the CLI prints the API's sentences unchanged.
    const t = await cli("explain", "BC06", "BC24", "BC05")
    for (const o of j.options) expect(t.text.split("\n")).toContain(o.text)
    // The table and the rules' prices follow the unit too.
    const all = await cli("explain", "--unit", "mio")
    expect(all.text).toContain(`Reglernes pris (effektivisering pr. år, mio. kr., ${j.tablePriceLevel} p/l)`)
    expect(all.text).toMatch(
      /Reglen "puljen til service er [^"]+" koster \d+,\d mio\. kr\. \(2027 p\/l\) om året/,
    )
  })

  it("under --unit mio a limit's or quota's text is written again with its amount in mio. kr.", () => {
    const rules = Rules.parse({
      limits: {
        service: 100000,
        anlaeg: 87550,
        combined: 190000,
        perYear: [{ area: "service", year: 2027, max: 30000 }],
      },
      committees: [
        { committee: "BUU", measure: "saving", min: 5000 },
        { committee: "SUF", measure: "poolCost", max: 40000 },
        { committee: "KFU", measure: "count", min: 1 },
      ],
    })
    const items = compile(proposals, rules).rules
    const levels = { poolPriceLevel: 2026, tablePriceLevel: 2027 }
    const shown = (unit: "t" | "mio") => {
      showAmountsIn(unit)
      try {
        return new Map(items.map((i) => [i.id, ruleTextShown({ rule: i.id, text: i.text }, rules, levels)]))
      } finally {
        showAmountsIn("t")
      }
    }
    const t = shown("t")
    for (const i of items) expect(t.get(i.id)).toBe(i.text)
    const mio = shown("mio")
    expect(mio.get("limit:anlaeg")).toBe("puljen til anlæg er 87,550 mio. kr. (2026 p/l)")
    expect(mio.get("limit:service:2027")).toBe("puljen til service i 2027 er 30,0 mio. kr. (2026 p/l)")
    expect(mio.get("limit:combined")).toBe("puljen til service og anlæg samlet er 190,0 mio. kr. (2026 p/l)")
    expect(mio.get("quota:0:min")).toBe("BUU: effektivisering mindst 5,0 mio. kr. (2027 p/l), varig effekt")
    expect(mio.get("quota:1:max")).toBe("SUF: puljemidler højst 40,0 mio. kr. (2026 p/l)")
    expect(mio.get("quota:2:min")).toBe(t.get("quota:2:min"))
    for (const [id, text] of mio) if (id !== "quota:2:min") expect(text).not.toContain("1.000 kr.")
  })

  it("under --unit mio the rules that cannot all hold are listed in mio. kr. too", async () => {
    const mio = await cli("solve", "--unit", "mio", "--lock", "BC34", "--service-pool", "50mio")
    expect(mio.text).toContain("Disse regler kan ikke overholdes samtidig")
    expect(mio.text).toContain("- puljen til service er 50,0 mio. kr. (2026 p/l)")
    expect(mio.text).not.toContain("1.000 kr.")
    const t = await cli("solve", "--lock", "BC34", "--service-pool", "50.000")
    expect(t.text).toContain("- puljen til service er 50.000 (1.000 kr., 2026 p/l)")
  })

  it("under --unit mio a rule on the number of proposals still shows counts, not amounts", async () => {
    const mio = await cli("solve", "--unit", "mio", "--max-proposals", "10")
    expect(mio.text).toMatch(/- højst 10 forslag: brugt 10, tilbage 0;/)
    expect(mio.text).toMatch(/puljen til service er 100,0 mio\. kr\. \(2026 p\/l\): tilbage 1,4/)
    const t = await cli("solve", "--max-proposals", "10")
    expect(t.text).toMatch(/- højst 10 forslag: brugt 10, tilbage 0;/)
    // A committee's quota counted in proposals, as the binding rules list it.
    const rules = Rules.parse({ committees: [{ committee: "KFU", measure: "count", max: 2 }] })
    const use = (rule: string, kind: "quota" | "limit", used: number, slack: number) => ({
      rule,
      text: rule,
      kind,
      used,
      slack,
      binding: true,
      blocks: ["BC12"],
      nothingFits: false,
    })
    showAmountsIn("mio")
    try {
      const lines = bindingText(
        [use("quota:0:max", "quota", 2, 0), use("limit:service", "limit", 98_600, 1_400)],
        rules,
        {
          poolPriceLevel: 2026,
          tablePriceLevel: 2027,
        },
      )
      expect(lines[0]).toContain("brugt 2, tilbage 0")
      expect(lines[1]).toContain("brugt 98,6, tilbage 1,4")
    } finally {
      showAmountsIn("t")
    }
  })

  it("explain with no proposal tabulates all of them with the rules' prices and the limits", async () => {
    const r = await cli("explain", "--service-pool", "110.000")
    expect(r.text).toContain("Reglernes pris")
    expect(r.text).toContain("Grænserne")
    for (const id of ["BC05", "BC24", "BC43"]) expect(r.text).toContain(id)
  })

  it("alternatives lists the three best in order and the core index", async () => {
    const r = await cli("alternatives", "--k", "3", "--core", "1")
    expect(r.text).toMatch(/1\s+79\.157\s+0/)
    expect(r.text).toMatch(/2\s+79\.137\s+20\s+BC22\s+BC20/)
    expect(r.text).toContain("Kerneindeks")
    expect(r.text).toMatch(/BC32\s+kerne\s+100,0 %/)
    await expect(cli("alternatives", "--share", "mange")).rejects.toThrow(UsageError)
  })

  it("robustness prints the spread and is reproducible by seed", async () => {
    const a = await cli("robustness", "--draws", "100", "--seed", "4", "--json")
    const b = await cli("robustness", "--draws", "100", "--seed", "4", "--json")
    expect(JSON.parse(a.text).result.realised).toEqual(JSON.parse(b.text).result.realised)
    const t = await cli("robustness", "--draws", "100")
    expect(t.text).toContain("P10")
    expect(t.text).toContain("optimeringens forbandelse")
    // The summary: the API's own in 1.000 kr.; under --unit mio its amounts in mio. kr.
    const r = JSON.parse((await cli("robustness", "--draws", "100", "--json")).text).result
    expect(t.text.split("\n")).toContain(r.summary)
    const m = await cli("robustness", "--draws", "100", "--unit", "mio")
    const mio = (x: number) => formatDanish(x / 1000, 1)
    expect(m.text).toContain(
      `Den valgte pakke giver ${mio(r.nominal.objective)} om året på overslagene (mio. kr., ${r.tablePriceLevel} p/l). ` +
        `Over 100 træk giver den ${mio(r.realised.p10)} (P10)`,
    )
    expect(m.text).not.toContain("1.000 kr.")
  })

  it("says in Danish when the rules leave no optimum to analyse", async () => {
    const e = await cli("alternatives", "--lock", "BC24").catch((x: unknown) => x)
    expect(e).toBeInstanceOf(Error)
    expect((e as Error).message).toContain("ingen pakke overholder alle scenariets regler")
  })

  it("solve lists the price of each rule", async () => {
    const r = await cli("solve", "--scenario", "bc10-scenario-2")
    expect(r.text).toContain("Reglernes pris")
    expect(r.text).toMatch(/BC10:scenario-2 skal finansieres.*koster 4\.594/)
  })
})
