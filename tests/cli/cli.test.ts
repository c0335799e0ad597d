import { execFile } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"
import { parseAmount, parseMaxPayback, UsageError } from "../../src/cli/args.ts"
import { failure, run } from "../../src/cli/main.ts"
import { renderTable } from "../../src/cli/table.ts"

const BIN = join(import.meta.dirname, "..", "..", "bin", "pulje.mjs")
const DEFAULT_PACKAGE = "BC05 BC07 BC08 BC20 BC26 BC28 BC32 BC34 BC35 BC37 BC38 BC41".split(" ")

/** Run `pulje` as a person or a script would: a child process, its output and exit code. */
const pulje = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, NO_COLOR: "1" },
    })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string }
    return { code: err.code, stdout: err.stdout, stderr: err.stderr }
  }
}

describe.concurrent("pulje as a child process", () => {
  it("solve with no arguments solves the default scenario", async () => {
    const r = await pulje("solve")
    expect(r.code).toBe(0)
    expect(r.stderr).toBe("")
    expect(r.stdout).toContain("ofs-2025-26")
    expect(r.stdout).toContain("optimal (bevist)")
    expect(r.stdout).toMatch(/årlig besparelse v\. fuld indfasning \(1\.000 kr\. 2027 p\/l\): 79\.157/)
    for (const id of DEFAULT_PACKAGE) expect(r.stdout).toContain(`  ${id} `)
    expect(r.stdout).not.toMatch(/\bBC10\b.*-5\.643/)
    expect(r.stdout).toContain("(2026 p/l)")
    expect(r.stdout).toContain("(2027 p/l)")
    expect(r.stdout).toMatch(/I alt\s+12 forslag\s+-79\.157\s+99\.181\s+86\.792/)
    expect(r.stdout).toMatch(/Service\s+100\.000\s+99\.181\s+819/)
    expect(r.stdout).toContain("Bindende regler")
  })

  it("a bad argument gives one line on stderr, no stack, and exit code 2; bad data exit code 3", async () => {
    const [usage, data] = await Promise.all([
      pulje("solve", "--service-pool", "mange"),
      pulje("audit", "--data", "no-such-folder"),
    ])
    for (const [r, code] of [
      [usage, 2],
      [data, 3],
    ] as const) {
      expect(r.code).toBe(code)
      expect(r.stdout).toBe("")
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
      expect(r.stderr).toMatch(/^pulje: /)
      expect(r.stderr).not.toMatch(/\bat \S+:\d+/)
    }
  })
})

/** The same CLI in-process, with main's message and exit code for an error: quicker. */
const inProcess = async (...args: string[]) => {
  try {
    const out = await run(args)
    return { code: out?.exitCode ?? 0, stdout: out?.text ?? "", error: "" }
  } catch (e) {
    const f = failure(e)
    if (!f) throw e
    return { code: f.code, stdout: "", error: f.message }
  }
}

describe("pulje's answers", () => {
  it("evaluate says which rule a hand-picked package breaks", async () => {
    const r = await inProcess("evaluate", "BC05", "BC10:scenario-2")
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("Pakken bryder én regel")
    expect(r.stdout).toContain("BC10:scenario-2 har tilbagebetalingstid 9 år; reglen er højst 6 år")
    expect(r.stdout).toMatch(/I alt\s+2 forslag\s+-4\.619/)
    expect(r.stdout).toContain("4.619 mod 79.157")
    expect(r.stdout).toContain("74.538 mindre pr. år")
  })

  it("audit prints one row per finding and a summary, and exits 0", async () => {
    const r = await inProcess("audit")
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split("\n")
    const summary = lines.at(-1) ?? ""
    const m = /^(\d+) fund: (\d+) registreret i forslagenes anomalier, (\d+) uforklarede\.$/.exec(summary)
    expect(m).not.toBeNull()
    const [findings, recorded, unexplained] = [m?.[1], m?.[2], m?.[3]].map(Number)
    expect((recorded ?? 0) + (unexplained ?? 0)).toBe(findings)
    expect(lines.filter((l) => /^(BC\d\d|I alt)\s/.test(l))).toHaveLength(findings ?? -1)
    expect(lines[1]).toMatch(/Registreret/)
  })

  it("a bad argument is a one-line message and exit code 2", async () => {
    const cases = [
      ["solve", "--service-pool", "mange"],
      ["solve", "--frobnicate"],
      ["solve", "--lock", "BC99"],
      ["evaluate", "BC10:scenario-7"],
      ["solve", "--scenario", "ofs-2030"],
      ["budget"],
    ]
    for (const args of cases) {
      const r = await inProcess(...args)
      expect(r.code, args.join(" ")).toBe(2)
      expect(r.stdout).toBe("")
      expect(r.error.split("\n"), args.join(" ")).toHaveLength(1)
    }
  })

  it("--json gives what the REST API gives", async () => {
    const r = await inProcess("solve", "--scenario", "bc10-scenario-2", "--json")
    expect(r.code).toBe(0)
    const body = JSON.parse(r.stdout)
    expect(body.result.status).toBe("optimal")
    expect(body.result.objective).toBe(74563)
    expect(body.compareTo.difference).toBe(-4594)
    const proposals = JSON.parse((await inProcess("proposals", "--json")).stdout)
    expect(proposals.count).toBe(30)
    const audit = JSON.parse((await inProcess("audit", "--json")).stdout)
    expect(audit.summary.findings).toBe(audit.findings.length)
  })
})

/** The same CLI in-process: quicker, for the rest of its behaviour. */
const cli = async (...args: string[]) => {
  const out = await run(args)
  if (!out) throw new Error("no output")
  return out
}

describe("pulje in-process", () => {
  it("shows the price of a political choice", async () => {
    const r = await cli("solve", "--scenario", "bc10-scenario-2")
    expect(r.exitCode).toBe(0)
    expect(r.text).toContain("BC10:scenario-2")
    expect(r.text).toContain("74.563 mod 79.157, 4.594 mindre pr. år")
    expect(r.text).toContain("prisen for dette scenaries politiske valg")
  })

  it("applies what-if flags over the scenario, Danish numbers included", async () => {
    const r = await cli("solve", "--service-pool", "120.000", "--exclude", "BC34", "--json")
    const body = JSON.parse(r.text)
    expect(body.rules.limits).toMatchObject({ service: 120000, anlaeg: 87500 })
    expect(body.rules.exclude).toEqual(["BC34"])
    expect(body.result.package.chosen.map((c: { proposal: string }) => c.proposal)).not.toContain("BC34")
  })

  it("turns the payback rule off and caps the number of proposals", async () => {
    const body = JSON.parse(
      (await cli("solve", "--max-payback", "none", "--max-proposals", "3", "--json")).text,
    )
    expect(body.rules.payback.maxYears).toBeNull()
    expect(body.result.package.chosen.length).toBeLessThanOrEqual(3)
  })

  it("explains rules that cannot all hold, exit code 1", async () => {
    const r = await cli("solve", "--lock", "BC10")
    expect(r.exitCode).toBe(1)
    expect(r.text).toContain("umulig")
    expect(r.text).toContain("- BC10 skal finansieres")
    expect(r.text).toContain("- tilbagebetalingstid højst 6 år (totaløkonomi)")
  })

  it("locks a variant when it is exempt from the payback rule", async () => {
    const r = await cli("solve", "--lock", "BC10:scenario-2", "--exempt", "BC10", "--json")
    expect(JSON.parse(r.text).result.objective).toBe(74563)
  })

  it("compares scenarios side by side", async () => {
    const r = await cli("compare", "--scenario", "ofs-2025-26", "--scenario", "bc10-scenario-2")
    expect(r.text).toMatch(/bc10-scenario-2\s+optimal \(bevist\)\s+-74\.563\s+4\.594 mindre/)
    expect(r.text).toMatch(/BC10\s+–\s+scenario-2/)
  })

  it("lists proposals of a committee and the scenarios", async () => {
    const p = await cli("proposals", "--committee", "social")
    expect(p.text).toContain("Investeringsforslag (4)")
    expect(p.text).toMatch(/BC34\s+Udbredelse.*\s54\.247\s+0\s+-21\.050\s+5\s+5/)
    const s = await cli("scenarios")
    expect(s.text).toMatch(/ofs-2025-26\s+OFS 2025-26: standardpuljer\s+100\.000\s+87\.500\s+6/)
  })

  it("prints help, and refuses unknown commands", async () => {
    expect((await cli("solve", "--help")).text).toContain("--service-pool")
    await expect(run(["budget"])).rejects.toBeInstanceOf(UsageError)
  })
})

describe("reading numbers as a Danish negotiator types them", () => {
  it.each([
    ["100000", 100000],
    ["100.000", 100000],
    ["87.500", 87500],
    ["1.234.567", 1234567],
    ["2,5", 2.5],
    ["87.500,5", 87500.5],
    ["0", 0],
  ])("%s is %d", (text, value) => expect(parseAmount("--service-pool", text)).toBe(value))

  it.each(["87.5", "-1", "1e5", "", "100.00", "mange"])("refuses %j", (text) =>
    expect(() => parseAmount("--service-pool", text)).toThrow(UsageError),
  )

  it("reads the payback limit", () => {
    expect(parseMaxPayback("6")).toBe(6)
    expect(parseMaxPayback("6,5")).toBe(6.5)
    expect(parseMaxPayback("none")).toBeNull()
    expect(() => parseMaxPayback("0")).toThrow(UsageError)
  })
})

describe("tables", () => {
  it("right-aligns numbers under multi-line headers and cuts long cells", () => {
    const t = renderTable(
      [
        { header: ["Forslag"] },
        { header: ["Titel"], maxWidth: 8 },
        { header: ["Service", "(2026 p/l)"], align: "right" },
      ],
      [
        { section: "Socialudvalget" },
        ["BC32", "Bedre vilkår for plejefamilier", "8.638"],
        "rule",
        ["I alt", "", "8.638"],
      ],
    ).split("\n")
    expect(t[0]).toBe(`${" ".repeat(7 + 2 + 8 + 2 + 3)}Service`)
    expect(t[1]).toBe("Forslag  Titel     (2026 p/l)")
    expect(t[3]).toBe("Socialudvalget")
    expect(t[4]).toBe("BC32     Bedre v…       8.638")
    expect(t[6]).toBe(`I alt${" ".repeat(2 + 2 + 8 + 2 + 5)}8.638`)
  })
})
