import { describe, expect, it } from "vitest"
import { failure, run } from "../../src/cli/main.ts"
import { renderTable } from "../../src/cli/table.ts"

/**
 * The defects a new user met on the command line (issue 7), each as the user met it. Every test
 * here failed before its fix.
 */

/** Run a command in-process: its output, or what main would print and exit with for its error. */
const cli = async (...args: string[]) => {
  try {
    const out = await run(args)
    if (!out) throw new Error("no output")
    return { code: out.exitCode, text: out.text, warnings: out.warnings ?? [], error: "" }
  } catch (e) {
    const f = failure(e)
    if (!f) throw e
    return { code: f.code, text: "", warnings: [], error: f.message }
  }
}

describe("issue 7 defects on the command line", () => {
  it("1: two locks on one proposal are a usage error naming both", async () => {
    const r = await cli("solve", "--lock", "BC10:base", "--lock", "BC10:scenario-2")
    expect(r.code).toBe(2)
    expect(r.error).toContain("--lock BC10:base")
    expect(r.error).toContain("--lock BC10:scenario-2")
  })

  it("2: --lock BC10:base is shown as the base variant, not as any variant", async () => {
    const base = await cli("solve", "--lock", "BC10:base", "--exempt", "BC10")
    expect(base.text).toMatch(/Skal med\s+BC10:base/)
    const any = await cli("solve", "--lock", "BC10", "--exempt", "BC10")
    expect(any.text).toMatch(/Skal med\s+BC10 \(vilkårlig variant\)/)
  })

  it.each([
    ["--service-pool", "-5000", "ikke-negativt beløb"],
    ["--time-limit", "-1", "helt tal fra 1"],
    ["--max-proposals", "-3", "helt tal fra 0"],
  ])("3: a negative %s is refused as negative, not as a missing value", async (flag, value, says) => {
    const r = await cli("solve", flag, value)
    expect(r.code).toBe(2)
    expect(r.error).toContain(says)
    expect(r.error).not.toContain("mangler en værdi")
  })

  it("4: a pool in mio. kr. is read with its unit, and a tiny pool is warned about", async () => {
    const mio = JSON.parse((await cli("solve", "--service-pool", "87,5mio", "--json")).text)
    expect(mio.rules.limits.service).toBe(87500)
    const flag = JSON.parse((await cli("solve", "--unit", "mio", "--anlaeg-pool", "80", "--json")).text)
    expect(flag.rules.limits.anlaeg).toBe(80000)
    const tiny = await cli("solve", "--service-pool", "87,5")
    expect(tiny.warnings.join("\n")).toContain("under 1 mio. kr.; mente du 87,5mio")
    expect(tiny.text).toMatch(/service 87,5, anlæg 87\.500/)
    expect((await cli("solve", "--service-pool", "87.500")).warnings).toEqual([])
  })

  it("5: a payback limit of 0,5 years is 0,5 in the header and in the conflict", async () => {
    const r = await cli("solve", "--max-payback", "0,5", "--lock", "BC05")
    expect(r.code).toBe(1)
    expect(r.text).toContain("højst 0,5 år (totaløkonomi)")
    expect(r.text).toContain("- tilbagebetalingstid højst 0,5 år")
    expect(r.text).not.toContain("højst 1 år")
  })

  it("6: a lock and an exclusion of one proposal are explained as that conflict", async () => {
    const r = await cli("solve", "--lock", "BC10", "--exclude", "BC10")
    expect(r.code).toBe(1)
    const conflict = r.text.slice(r.text.indexOf("Disse regler")).split("\n").slice(1)
    expect(conflict).toEqual(["- BC10 skal finansieres (en vilkårlig variant)", "- BC10 må ikke finansieres"])
  })

  it("7: a --data folder that does not exist is named, without a raw ENOENT, and exits 3 (not 1)", async () => {
    const r = await cli("solve", "--data", "./no-such-folder")
    expect(r.code).toBe(3)
    expect(r.error).toContain("--data ./no-such-folder: mappen findes ikke")
    expect(r.error).not.toContain("ENOENT")
  })

  it("8: the payback rule is reported as binding when it keeps proposals out", async () => {
    const r = await cli("solve", "--max-payback", "4")
    const binding = r.text.slice(r.text.indexOf("Bindende regler"))
    expect(binding).toMatch(
      /- tilbagebetalingstid højst 4 år \(totaløkonomi\): længste i pakken \d år; holder ude .*BC06/,
    )
    expect(binding).not.toContain("Ingen regel holder alene")
    const json = JSON.parse((await cli("solve", "--max-payback", "4", "--json")).text)
    const payback = json.result.package.rules.find((x: { rule: string }) => x.rule === "payback")
    expect(payback).toMatchObject({ kind: "payback", binding: true, max: 4 })
    expect(payback.used).toBeLessThanOrEqual(4)
  })

  it("9: proposals names BC10's second variant BC10:scenario-2, in line, titled by the proposal", async () => {
    const r = await cli("proposals", "--committee", "børne")
    const base = r.text.split("\n").find((l) => /^ {2}BC10 /.test(l)) ?? ""
    const second = r.text.split("\n").find((l) => l.includes("BC10:scenario-2")) ?? ""
    expect(second).toMatch(/^ {2}BC10:scenario-2 +Bedre og billigere gulvvask/)
    expect(second).not.toContain("Tabel 2")
    expect(r.text).not.toContain("BC10 (scenario-2)")
    // The numbers stand in the same columns as the base variant's.
    expect(second.length).toBe(base.length)
    expect(second.search(/\S+\s*$/)).toBe(base.search(/\S+\s*$/))
  })

  it("10: the audit's rows are Danish", async () => {
    const r = await cli("audit")
    expect(r.text).toContain("oversigtens i alt-række: service")
    expect(r.text).not.toMatch(/overview|effect at full|total:/)
  })

  it("12: help per command, --version, and evaluate exits 1 when the package breaks rules", async () => {
    expect((await cli("help", "solve")).text).toContain("--service-pool")
    expect((await cli("help", "solve")).text).not.toContain("Kommandoer:")
    expect((await cli("--version")).text).toMatch(/^pulje \d+\.\d+\.\d+$/)
    expect((await cli("evaluate", "BC05", "BC10:scenario-2")).code).toBe(1)
    expect((await cli("evaluate", "BC05", "BC07")).code).toBe(0)
  })

  it("13: evaluate of an over-budget package gives the overrun and the cheapest proposals to take out", async () => {
    const optimum = "BC05 BC07 BC08 BC20 BC26 BC28 BC32 BC34 BC35 BC37 BC38 BC41".split(" ")
    const r = await cli("evaluate", ...optimum, "BC06")
    expect(r.code).toBe(1)
    expect(r.text).toContain("puljen til service er 100.000 (1.000 kr., 2026 p/l): overskredet med 17.109")
    expect(r.text).toContain("Billigste vej til en lovlig pakke: tag BC06 ud (pakken mister 4.717 af målet).")
  })

  it("15: proposals BC10 and scenarios bc10-full show one of each, with sources and assumptions", async () => {
    const p = await cli("proposals", "bc10")
    expect(p.code).toBe(0)
    expect(p.text).toContain("BC10 – Bedre og billigere gulvvask i dagtilbud")
    expect(p.text).toContain("BC10:scenario-2: Tabel 2.")
    expect(p.text).toMatch(/Puljemidler\s+service 37\.852, anlæg 0 \(2026 p\/l\)/)
    const s = await cli("scenarios", "bc10-full")
    expect(s.code).toBe(0)
    expect(s.text).toContain("Kilder:")
    expect(s.text).toContain("Antagelser:")
    expect(s.text).toMatch(/Skal med\s+BC10:base/)
    expect((await cli("proposals", "BC99")).code).toBe(2)
  })

  it("16: a pool with money left that no remaining proposal fits is not called binding", async () => {
    const r = await cli("solve", "--scenario", "bc10-scenario-2")
    const anlaeg = r.text.split("\n").find((l) => l.startsWith("- puljen til anlæg")) ?? ""
    expect(anlaeg).toContain("tilbage 5.661, men intet resterende forslag passer ind")
    expect(anlaeg).toContain("grænsen binder ikke")
    const service = r.text.split("\n").find((l) => l.startsWith("- puljen til service")) ?? ""
    expect(service).toMatch(/brugt 99\.466, tilbage 534; holder ude/)
  })

  it("17: tables fit the terminal width, and --unit mio shows mio. kr. with one decimal", async () => {
    const columns = process.env.COLUMNS
    process.env.COLUMNS = "100"
    try {
      const r = await cli("proposals")
      expect(Math.max(...r.text.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(101)
    } finally {
      if (columns === undefined) delete process.env.COLUMNS
      else process.env.COLUMNS = columns
    }
    const wide = renderTable(
      [{ header: ["Titel"], maxWidth: 60 }, { header: ["Tal"] }],
      [["x".repeat(60), "1"]],
      30,
    )
    expect(Math.max(...wide.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(30)
    const mio = await cli("solve", "--unit", "mio")
    expect(mio.text).toMatch(/I alt\s+12 forslag\s+-79,2\s+99,2\s+86,8/)
    expect(mio.text).toContain("Valgte forslag (mio. kr.)")
  })
})
