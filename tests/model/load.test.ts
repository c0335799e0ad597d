import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { DataFileError, loadDataSet, Proposal, parseDataFile } from "../../src/model/index.ts"
import { DATA_DIR } from "./fixtures.ts"

// biome-ignore lint/suspicious/noExplicitAny: the tests break the files' JSON on purpose, past any schema type
type Json = any

const realProposal = (id: string): Json =>
  JSON.parse(readFileSync(join(DATA_DIR, "proposals", `${id}.json`), "utf8"))

const tempDirs: string[] = []
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true })
})

/** A data set in a fresh temp dir: the real overview and the given proposal files (name → text). */
const dataSet = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), "pulje-load-"))
  tempDirs.push(dir)
  mkdirSync(join(dir, "proposals"))
  copyFileSync(join(DATA_DIR, "overview.json"), join(dir, "overview.json"))
  copyFileSync(join(DATA_DIR, "round.json"), join(dir, "round.json"))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "proposals", name), text)
  return dir
}

/** BC05 with `edit` applied to a deep copy, as file text. */
const bc05 = (edit: (p: Json) => void = () => {}): string => {
  const p = realProposal("BC05")
  edit(p)
  return JSON.stringify(p, null, 2)
}

/** The DataFileError that loading `dir` throws. */
const loadError = (dir: string): DataFileError => {
  try {
    loadDataSet(dir)
  } catch (e) {
    expect(e).toBeInstanceOf(DataFileError)
    return e as DataFileError
  }
  throw new Error("loadDataSet accepted a malformed data set")
}

describe("loadDataSet on the real data", () => {
  const ds = loadDataSet(DATA_DIR)

  it("loads 30 proposals in id order, each with a base variant", () => {
    expect(ds.proposals).toHaveLength(30)
    const ids = ds.proposals.map((p) => p.id)
    expect(ids).toEqual([...ids].sort())
    expect(ids[0]).toBe("BC05")
    expect(ids[29]).toBe("BC43")
    for (const p of ds.proposals) expect(p.variants[0]?.id).toBe("base")
  })

  it("loads BC10 with its two variants and the overview with 30 rows", () => {
    expect(ds.proposals.find((p) => p.id === "BC10")?.variants.map((v) => v.id)).toEqual([
      "base",
      "scenario-2",
    ])
    expect(ds.overview.committees.flatMap((c) => c.rows)).toHaveLength(30)
  })

  it("freezes every proposal to its last number: the solver keeps what it derives per array", () => {
    const bc10 = ds.proposals.find((p) => p.id === "BC10")
    const line = bc10?.variants[1]?.lines[0]
    expect(line).toBeDefined()
    expect(Object.isFrozen(bc10)).toBe(true)
    expect(Object.isFrozen(line)).toBe(true)
    expect(() => {
      ;(line as { values: number[] }).values[0] = 1
    }).toThrow(TypeError)
  })

  it("loads a copy of a proposal unchanged", () => {
    const { proposals } = loadDataSet(dataSet({ "BC05.json": bc05() }))
    expect(proposals).toEqual([realProposal("BC05")])
  })
})

describe("a malformed proposal file is rejected naming the file and the field", () => {
  interface Case {
    readonly name: string
    readonly text: string
    /** The field path the message must name ("" for the file's root object). */
    readonly path: string
    readonly message?: RegExp
  }
  const cases: readonly Case[] = [
    {
      name: "a line with the wrong number of values",
      text: bc05((p) => p.variants[0].lines[2].values.pop()),
      path: "variants[0].lines[2].values",
      message: /5 values but the table has 6 years/,
    },
    {
      name: "a values entry that is not an integer",
      text: bc05((p) => {
        p.variants[0].lines[1].values[3] = 1.5
      }),
      path: "variants[0].lines[1].values[3]",
    },
    {
      name: "a values entry that is a string (Danish number left as text)",
      text: bc05((p) => {
        p.variants[0].lines[0].values[1] = "-1.518"
      }),
      path: "variants[0].lines[0].values[1]",
    },
    {
      name: "an unknown field (the schemas are strict)",
      text: bc05((p) => {
        p.variants[0].lines[4].colour = "red"
      }),
      path: "variants[0].lines[4]",
      message: /variants\[0\]\.lines\[4\]: Unrecognized key: "colour"/,
    },
    {
      name: "an unknown field at the top level (the path is the root; the message names the key)",
      text: bc05((p) => {
        p.budget = 1
      }),
      path: "",
      message: /BC05\.json: Unrecognized key: "budget"/,
    },
    {
      name: "a total with the wrong number of values",
      text: bc05((p) => p.variants[0].totals[1].values.push(0)),
      path: "variants[0].totals[1].values",
    },
    {
      name: "an unknown section",
      text: bc05((p) => {
        p.variants[0].lines[7].section = "one-off"
      }),
      path: "variants[0].lines[7].section",
    },
    {
      name: "years that do not increase",
      text: bc05((p) => {
        p.variants[0].years[3] = 2027
      }),
      path: "variants[0].years[3]",
      message: /increase/,
    },
    {
      name: "a missing field",
      text: bc05((p) => {
        delete p.variants[0].payback
      }),
      path: "variants[0].payback",
    },
  ]

  it.each(cases)("$name", ({ text, path, message }) => {
    const e = loadError(dataSet({ "BC05.json": text }))
    expect(e.message).toContain("BC05.json")
    expect(e.message).toContain(path ? `.json: ${path}: ` : ".json: ")
    expect(e.file.endsWith("BC05.json")).toBe(true)
    expect(e.issues.map((i) => i.path)).toContain(path)
    if (message) expect(e.message).toMatch(message)
  })

  it("an id that does not match the file name", () => {
    const e = loadError(dataSet({ "BC05.json": bc05(), "BC06.json": bc05() }))
    expect(e.message).toContain("BC06.json")
    expect(e.message).toContain("id: ")
    expect(e.message).toMatch(/"BC05" does not match the file name/)
  })

  it.each([
    ["a truncated file", bc05().slice(0, 200)],
    ["a trailing comma", bc05().replace(/\n}\n?$/, ",\n}\n")],
  ])("invalid JSON, %s (no field path: the message says the file is not JSON)", (_, text) => {
    const e = loadError(dataSet({ "BC05.json": text }))
    expect(e.message).toContain("BC05.json: not valid JSON (")
    expect(e.issues).toEqual([{ path: "", message: expect.stringMatching(/^not valid JSON/) }])
  })

  it("invalid JSON: the message gives the parser's position", () => {
    const text = bc05().replace(/\n}\n?$/, ",\n}\n")
    const e = loadError(dataSet({ "BC05.json": text }))
    expect(e.message).toMatch(new RegExp(`BC05\\.json: not valid JSON \\(.*position ${text.length - 2}`))
  })

  it("names the bad file among good ones", () => {
    const good = JSON.stringify(realProposal("BC06"))
    const e = loadError(
      dataSet({ "BC05.json": bc05(), "BC06.json": good, "BC07.json": bc05((p) => (p.id = "BC7")) }),
    )
    expect(e.message).toContain("BC07.json")
    expect(e.message).not.toContain("BC06.json")
    expect(e.message).toContain("id: ")
  })

  it("a malformed overview names overview.json and the field", () => {
    const dir = dataSet({ "BC05.json": bc05() })
    const o = JSON.parse(readFileSync(join(dir, "overview.json"), "utf8"))
    o.committees[2].rows[1].anlaeg = "978"
    writeFileSync(join(dir, "overview.json"), JSON.stringify(o))
    const e = loadError(dir)
    expect(e.message).toContain("overview.json")
    expect(e.message).toContain("committees[2].rows[1].anlaeg: ")
  })

  it("a missing overview names overview.json", () => {
    const dir = dataSet({ "BC05.json": bc05() })
    rmSync(join(dir, "overview.json"))
    const e = loadError(dir)
    expect(e.message).toContain("overview.json")
    expect(e.message).toMatch(/cannot be read \(ENOENT\)/)
  })
})

describe("parseDataFile", () => {
  it("reports every issue with its path, prefixed by the file name", () => {
    const p = realProposal("BC05")
    p.variants[0].lines[0].values[0] = 0.5
    p.variants[0].lines[3].area = "drift"
    try {
      parseDataFile(Proposal, "some/dir/BC05.json", JSON.stringify(p))
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(DataFileError)
      const err = e as DataFileError
      expect(err.message.startsWith("some/dir/BC05.json: ")).toBe(true)
      expect(err.issues.map((i) => i.path).sort()).toEqual([
        "variants[0].lines[0].values[0]",
        "variants[0].lines[3].area",
      ])
    }
  })
})
