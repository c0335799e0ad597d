import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import ExcelJS from "exceljs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { run } from "../../src/cli/main.ts"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"

let dir: string
let before: string | undefined

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pulje-cli-rounds-"))
  cpSync(BUILT_IN_ROUND_DIR, join(dir, "ofs-2025-26"), { recursive: true })
  before = process.env.PULJE_ROUNDS_DIR
  process.env.PULJE_ROUNDS_DIR = dir
})
afterAll(() => {
  if (before === undefined) delete process.env.PULJE_ROUNDS_DIR
  else process.env.PULJE_ROUNDS_DIR = before
  rmSync(dir, { recursive: true, force: true })
})

const pulje = async (...argv: string[]) => {
  const out = await run(argv)
  if (!out) throw new Error("no output")
  return out
}

/** The README's round workflow: the lines of its `shell` block, as pulje's arguments (quotes kept together). */
const readmeLines = (): string[][] => {
  const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8")
  const block = /```shell\n([\s\S]*?)```/.exec(readme)?.[1] ?? ""
  return block
    .split("\n")
    .map((l) => l.replace(/#.*$/, "").trim())
    .filter((l) => l.startsWith("npx pulje "))
    .map((l) => [...l.slice("npx pulje ".length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? ""))
}

describe("the round workflow on the command line", () => {
  it("the README's round workflow runs as written (files in a temporary folder)", async () => {
    const here = mkdtempSync(join(tmpdir(), "pulje-readme-"))
    const rounds = process.env.PULJE_ROUNDS_DIR
    process.env.PULJE_ROUNDS_DIR = join(here, "rounds")
    cpSync(BUILT_IN_ROUND_DIR, join(here, "rounds", "ofs-2025-26"), { recursive: true })
    try {
      const lines = readmeLines()
      expect(lines.map((l) => l[0])).toEqual(["template", "seed", "import", "solve", "evaluate", "rounds"])
      // File arguments (workbooks, CSV folders) are made relative to the temporary folder.
      const place = (args: string[]) =>
        args.map((a, i) => (/\.xlsx$/.test(a) || args[i - 1] === "--csv" ? join(here, a) : a))
      for (const args of lines) {
        const out = await pulje(...place(args))
        expect(out.exitCode, `${args.join(" ")}: ${out.text}`).toBeLessThanOrEqual(
          args[0] === "evaluate" ? 1 : 0,
        )
      }
      expect(readdirSync(join(here, "rounds")).sort()).toEqual(["budget-2027", "ofs-2025-26"])
      expect(existsSync(join(here, "pakke-csv", "forslag.csv"))).toBe(true)
    } finally {
      if (rounds === undefined) delete process.env.PULJE_ROUNDS_DIR
      else process.env.PULJE_ROUNDS_DIR = rounds
      rmSync(here, { recursive: true, force: true })
    }
  })

  it("template, import (nothing written on error), solve the new round, export it, seed the next", async () => {
    const blank = join(dir, "skabelon.xlsx")
    expect((await pulje("template", blank)).text).toContain("Udfyld de gule celler")
    const refused = await pulje("import", blank, "--round", "tom")
    expect(refused.exitCode).toBe(3)
    expect(refused.text).toMatch(/^Intet er skrevet: filen har \d+ fejl\.\n/)
    expect(refused.text).toContain("FEJL  Ark Forslag, celle B3: Id har forkert form")
    expect(refused.text).toContain("FEJL  Ark Runde, celle B4: Titel mangler")
    expect(existsSync(join(dir, "tom"))).toBe(false)

    const filled = join(dir, "runde.xlsx")
    await pulje("template", filled, "--filled")
    const imported = await pulje("import", filled, "--round", "budget-2027")
    expect(imported.exitCode).toBe(0)
    expect(imported.text).toMatch(/^Importerede runden budget-2027 .* \(30 forslag\)/)
    expect((await pulje("rounds")).text).toMatch(/budget-2027[\s\S]*ofs-2025-26/)

    const xlsx = join(dir, "pakke.xlsx")
    const csv = join(dir, "csv")
    const solved = await pulje(
      "solve",
      "--round",
      "budget-2027",
      "--service-pool",
      "100.000",
      "--anlaeg-pool",
      "87.500",
      "--xlsx",
      xlsx,
      "--csv",
      csv,
    )
    expect(solved.exitCode).toBe(0)
    expect(solved.text).toContain(`Skrev regnearket ${xlsx}`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(xlsx)
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Oversigt", "Pengestrømme", "Regler"])
    expect(readdirSync(csv).sort()).toEqual([
      "forslag.csv",
      "pengestroemme.csv",
      "pr-aar.csv",
      "puljer.csv",
      "regler.csv",
    ])
    expect(readFileSync(join(csv, "puljer.csv"), "utf8")).toMatch(/\r\nService;99180,\d+;100000;819,\d+\r\n/)

    const seeded = await pulje("seed", "--new", "budget-2028", "--title", "Budget 2028")
    expect(seeded.text).toMatch(/^Runden budget-2028 har 18 forslag fra ofs-2025-26/)
    // The uncertainty model comes along for the proposals carried over.
    const model = JSON.parse(readFileSync(join(dir, "budget-2028", "uncertainty.json"), "utf8"))
    expect(Object.keys(model.proposals)).toHaveLength(18)
    expect(Object.keys(model.proposals)).not.toContain("BC05")
    const left = await pulje("proposals", "--round", "budget-2028", "--json")
    expect(JSON.parse(left.text).proposals.map((p: { id: string }) => p.id)).not.toContain("BC05")
    const unknown = pulje("audit", "--round", "nope")
    await expect(unknown).rejects.toThrow(
      /--round nope: ingen sådan runde; der er budget-2027, budget-2028, ofs-2025-26/,
    )
  })

  it("refuses the flags a round command cannot honour, and seeds with the confidential proposals competing but never carried over", async () => {
    // audit prints the document's figures in 1.000 kr. as printed; template writes the public round only.
    await expect(pulje("audit", "--unit", "mio")).rejects.toThrow(
      /ukendt tilvalg --unit; se pulje audit --help/,
    )
    const confidential = join(import.meta.dirname, "..", "fixtures", "confidential")
    await expect(
      pulje("template", join(dir, "x.xlsx"), "--filled", "--confidential", confidential),
    ).rejects.toThrow(/ukendt tilvalg --confidential; se pulje template --help/)
    expect((await pulje("seed", "--help")).text).toContain("--confidential DIR")
    expect((await pulje("audit", "--help")).text).toContain("--confidential DIR")
    const withIt = await pulje("audit", "--json", "--confidential", confidential)
    const ids = (JSON.parse(withIt.text) as { findings: { proposal: string }[] }).findings.map(
      (f) => f.proposal,
    )
    expect(ids).toContain("XX99")
    const seeded = await pulje(
      "seed",
      "--new",
      "budget-2029",
      "--title",
      "Budget 2029",
      "--confidential",
      confidential,
    )
    expect(seeded.exitCode).toBe(0)
    // XX99 competed for the pool (here it is funded); what is carried over is the public rest.
    const funded = /\(([^)]*) er finansieret\)/.exec(seeded.text)?.[1]?.split(", ") ?? []
    expect(funded).toContain("XX99")
    const carried = readdirSync(join(dir, "budget-2029", "proposals"))
    expect(carried.every((f) => /^BC\d+\.json$/.test(f))).toBe(true)
    expect(carried.length + funded.filter((id) => id.startsWith("BC")).length).toBe(30)
  })
})
