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

describe("the round workflow on the command line", () => {
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
    const left = await pulje("proposals", "--round", "budget-2028", "--json")
    expect(JSON.parse(left.text).proposals.map((p: { id: string }) => p.id)).not.toContain("BC05")
    const unknown = pulje("audit", "--round", "nope")
    await expect(unknown).rejects.toThrow(
      /--round nope: ingen sådan runde; der er budget-2027, budget-2028, ofs-2025-26/,
    )
  })
})
