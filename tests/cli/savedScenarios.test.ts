import { cpSync, rmSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it, vi } from "vitest"
import { run } from "../../src/cli/main.ts"
import { formatDanish } from "../../src/model/format.ts"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"
import { openSqliteStore } from "../../src/store/index.ts"
import { changeBC05, roundCopy, roundWithBC05Changed, withRoundsDir } from "../support/changedRound.ts"
import { failed, useTempStore } from "./support/cli.ts"

/** pulje scenarios saved: the user scenarios of the page and the REST API, from the command line. */

const store = useTempStore()

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "confidential")

const out = async (...argv: string[]) => {
  const r = await run(argv)
  if (!r) throw new Error("no output")
  return r
}
const text = async (...argv: string[]) => (await out(...argv)).text

const idOf = (saved: string) => /brugerscenarie ([a-z0-9]{12}), version (\d+)/.exec(saved)?.[1] ?? ""

describe("pulje scenarios saved", () => {
  it("save, list, show in words, a new version, versions, show --version", async () => {
    const saved = await text(
      "scenarios",
      "saved",
      "save",
      "--title",
      "Uden BC05",
      "--scenario",
      "ofs-2025-26",
      "--exclude",
      "BC05",
      "--anlaeg-pool",
      "80.000",
      "--note",
      "første bud",
    )
    const id = idOf(saved)
    expect(id).not.toBe("")
    expect(saved).toContain("version 1")
    expect(saved).toMatch(/Ændringer\s+Uden BC05; puljen til anlæg 80\.000 \(1\.000 kr\., 2026 p\/l\)/)
    expect(saved).toMatch(/Målværdi\s+[\d.]+ \(1\.000 kr\., 2027 p\/l\)/)

    const list = await text("scenarios", "saved", "list")
    expect(list).toMatch(new RegExp(`${id}\\s+Uden BC05\\s+ofs-2025-26\\s+1\\s`))

    // A new version keeps the title and base scenario; its rules replace the old ones; amounts in mio. kr.
    const v2 = await text("scenarios", "saved", "save", "--id", id, "--unit", "mio", "--service-pool", "110")
    expect(v2).toContain(`brugerscenarie ${id}, version 2 ("Uden BC05")`)
    expect(v2).toMatch(/Ændringer\s+Puljen til service 110,0 \(mio\. kr\., 2026 p\/l\)/)

    const shown = await text("scenarios", "saved", "show", id)
    expect(shown).toMatch(/Brugerscenarie\s+.* \(version 2 af 2\)/)
    expect(shown).toMatch(/Bygger på\s+ofs-2025-26 – /)
    expect(shown).toMatch(/Ændringer\s+Puljen til service 110\.000 \(1\.000 kr\., 2026 p\/l\)/)
    expect(shown).toContain("Data er uændret")
    const first = await text("scenarios", "saved", "show", id, "--version", "1")
    expect(first).toContain("(version 1 af 2)")
    expect(first).toMatch(/Ændringer\s+Uden BC05; puljen til anlæg 80\.000/)
    expect(first).toMatch(/Note\s+første bud/)

    const versions = (await text("scenarios", "saved", "versions", id)).split("\n")
    const row = (n: number) => versions.findIndex((l) => new RegExp(`^\\s+${n}\\s+Uden BC05`).test(l))
    expect(row(2)).toBeGreaterThan(0)
    expect(row(2)).toBeLessThan(row(1))

    const json = JSON.parse(await text("scenarios", "saved", "show", id, "--json"))
    expect(json).toMatchObject({ id, version: 2, body: { basedOn: "ofs-2025-26" } })
    expect(json.changes).toEqual(["puljen til service 110.000 (1.000 kr., 2026 p/l)"])
  })

  it("solve prints what pulje solve prints for the same what-if, under the user scenario's name", async () => {
    const id = idOf(await text("scenarios", "saved", "save", "--title", "Uden BC24", "--exclude", "BC24"))
    const mine = await out("scenarios", "saved", "solve", id)
    const solve = await out("solve", "--exclude", "BC24")
    expect(mine.exitCode).toBe(0)
    expect(mine.text.split("\n")[0]).toMatch(/^Brugerscenarie\s+.* – Uden BC24 \(version 1 af 1\)/)
    // pulje solve's first line names the scenario; all that follows is the same.
    const body = solve.text.split("\n").slice(1).join("\n")
    expect(mine.text.endsWith(body)).toBe(true)
    const asJson = JSON.parse(await text("scenarios", "saved", "solve", id, "--json"))
    expect(asJson.result.objective).toBe(
      JSON.parse(await text("solve", "--exclude", "BC24", "--json")).result.objective,
    )

    // No package under its rules: exit 1, as pulje solve.
    const none = idOf(
      await text("scenarios", "saved", "save", "--title", "Umulig", "--lock", "BC10:scenario-2"),
    )
    expect(await text("scenarios", "saved", "show", none)).toContain("Ingen pakke")
    expect((await out("scenarios", "saved", "solve", none)).exitCode).toBe(1)
  })

  it("refuses a stale --base-version, an unknown id or version and bad flags in Danish, exit 2", async () => {
    const id = idOf(await text("scenarios", "saved", "save", "--title", "Base", "--exclude", "BC07"))
    await text("scenarios", "saved", "save", "--id", id, "--base-version", "1", "--exclude", "BC08")
    const stale = await failed(
      "scenarios",
      "saved",
      "save",
      "--id",
      id,
      "--base-version",
      "1",
      "--exclude",
      "BC09",
    )
    expect(stale).toMatchObject({ code: 2 })
    expect(stale?.message).toContain(`brugerscenarie ${id} er nu i version 2, ikke 1`)
    expect(stale?.message).toContain("--base-version 2")
    expect(await text("scenarios", "saved", "show", id)).toContain("(version 2 af 2)")

    expect(await failed("scenarios", "saved", "show", "nosuchid0000")).toEqual({
      code: 2,
      message: 'intet gemt brugerscenarie "nosuchid0000"; se pulje scenarios saved list',
    })
    expect((await failed("scenarios", "saved", "show", id, "--version", "9"))?.message).toBe(
      `brugerscenarie ${id} har ingen version 9; det har 1, 2`,
    )
    expect((await failed("scenarios", "saved", "save", "--exclude", "BC05"))?.message).toMatch(
      /skal have --title/,
    )
    expect(
      (await failed("scenarios", "saved", "save", "--title", "x", "--exclude", "BC99"))?.message,
    ).toMatch(/--exclude BC99: intet sådant forslag/)
    expect((await failed("scenarios", "saved", "list", "--bogus"))?.message).toMatch(/ukendt tilvalg --bogus/)
    expect((await failed("scenarios", "saved", "frob"))?.message).toMatch(/skriv list, show ID/)
    expect((await failed("scenarios", "saved", "versions"))?.code).toBe(2)
  })

  it("save prints the version it saved from what the save returned, without reading it back", async () => {
    // The store's reads of a user scenario's versions, counted in a fresh copy of the command
    // line (the tests share one module cache, in which the command line is loaded unmocked).
    let reads = 0
    vi.resetModules()
    vi.doMock("../../src/app/storage.ts", async (importOriginal) => {
      const storage = await importOriginal<typeof import("../../src/app/storage.ts")>()
      const openStore: typeof storage.openStore = (...args) => {
        const opened = storage.openStore(...args)
        const versions = opened.scenarios.versions.bind(opened.scenarios)
        opened.scenarios.versions = (...a) => {
          reads++
          return versions(...a)
        }
        return opened
      }
      return { ...storage, openStore }
    })
    try {
      const cli = await import("../../src/cli/main.ts")
      const say = async (...argv: string[]) => (await cli.run(argv))?.text ?? ""
      const saved = await say("scenarios", "saved", "save", "--title", "Uden BC06", "--exclude", "BC06")
      expect(reads).toBe(0)
      expect(saved).toMatch(/Bygger på\s+ofs-2025-26 – .*\nÆndringer\s+Uden BC06\n/)
      // A new version reads the one it builds on, once.
      const v2 = await say(
        "scenarios",
        "saved",
        "save",
        "--id",
        idOf(saved),
        "--exclude",
        "BC07",
        "--note",
        "n",
      )
      expect(reads).toBe(1)
      expect(v2).toMatch(
        /version 2 \("Uden BC06"\)\.\nBygger på\s+ofs-2025-26 – .*\nÆndringer\s+Uden BC07\nNote\s+n\n/,
      )
    } finally {
      vi.doUnmock("../../src/app/storage.ts")
      vi.resetModules()
    }
  })

  it("says what is wrong with a title, description or note in Danish, by its flag, and saves nothing", async () => {
    const before = await text("scenarios", "saved", "list", "--json")
    expect(await failed("scenarios", "saved", "save", "--title", " ", "--exclude", "BC05")).toEqual({
      code: 2,
      message: "--title: Titel mangler eller er for kort/lille (mindst 1 tegn)",
    })
    const long = await failed(
      "scenarios",
      "saved",
      "save",
      "--title",
      "x".repeat(201),
      "--description",
      "y".repeat(10_001),
    )
    expect(long).toEqual({
      code: 2,
      message:
        "--title: Titel er for lang (højst 200 tegn); --description: Beskrivelse er for lang (højst 10.000 tegn)",
    })
    expect(await text("scenarios", "saved", "list", "--json")).toBe(before)
  })

  it("show gives today's optimum beside the saved one when the round's data changed", async () => {
    const id = idOf(await text("scenarios", "saved", "save", "--title", "Med BC05", "--lock", "BC05"))
    const round = roundWithBC05Changed(join(store.dir(), "round"))
    const saved = JSON.parse(await text("scenarios", "saved", "show", id, "--json")).figures.objective
    const shown = await text("scenarios", "saved", "show", id, "--data", round)
    expect(shown).toContain("Data er ændret, siden scenariet blev gemt")
    const [then, today] = [...shown.matchAll(/Målværdi\s+([\d.]+) \(1\.000 kr\., 2027 p\/l\)/g)].map(
      (m) => m[1],
    )
    expect(then).toBe(formatDanish(saved))
    expect(today).toBe(formatDanish(saved + 1000))
    expect(await text("scenarios", "saved", "show", id)).toContain("Data er uændret")
  })

  it("--round saves, solves and shows a user scenario on that round's data, as /rounds/:round/ does", async () => {
    const rounds = join(store.dir(), "rounds")
    roundCopy(rounds, "anden", changeBC05)
    await withRoundsDir(rounds, async () => {
      const here = JSON.parse(await text("solve", "--lock", "BC05", "--json")).result.objective
      const saved = await text(
        "scenarios",
        "saved",
        "save",
        "--round",
        "anden",
        "--title",
        "Anden",
        "--scenario",
        "ofs-2025-26",
        "--lock",
        "BC05",
      )
      const id = idOf(saved)
      expect(saved).toMatch(new RegExp(`Målværdi\\s+${formatDanish(here + 1000).replace(".", "\\.")} `))
      const solved = await out("scenarios", "saved", "solve", id, "--round", "anden")
      const solve = await out("solve", "--round", "anden", "--scenario", "ofs-2025-26", "--lock", "BC05")
      expect(solved.text.endsWith(solve.text.split("\n").slice(1).join("\n"))).toBe(true)
      const there = await text("scenarios", "saved", "show", id, "--round", "anden")
      expect(there).toContain("Data er uændret")
      expect(there).toMatch(/Gemt\s+.* UTC af kommandolinjen i runden anden/)
      expect(there).not.toContain("Scenariet er gemt i runden")
      const elsewhere = await text("scenarios", "saved", "show", id)
      expect(elsewhere).toContain("Data er ændret")
      expect(elsewhere).toContain(
        "Scenariet er gemt i runden anden; her løses det på data fra runden ofs-2025-26.",
      )
      expect(await text("scenarios", "saved", "solve", id)).toContain("Scenariet er gemt i runden anden")
      expect(JSON.parse(await text("scenarios", "saved", "show", id, "--json")).current.notice).toMatch(
        /^Scenariet er gemt i runden anden; .* Data er ændret/,
      )
      await text("scenarios", "saved", "save", "--id", id, "--service-pool", "90.000")
      expect(await text("scenarios", "saved", "versions", id)).toMatch(
        /\n\s+2\s+Anden\s+ofs-2025-26\s+[\d.]+\s+ofs-2025-26\s[\s\S]*\n\s+1\s+Anden\s+ofs-2025-26\s+[\d.]+\s+anden\s/,
      )
      expect((await failed("scenarios", "saved", "list", "--round", "nope"))?.message).toMatch(
        /--round nope: ingen sådan runde; der er anden/,
      )
    })
  })

  it("says in Danish what a round lacks that a user scenario's rules name, instead of the solver's issue", async () => {
    const id = idOf(await text("scenarios", "saved", "save", "--title", "Uden BC05", "--exclude", "BC05"))
    const round = join(store.dir(), "uden-bc05")
    cpSync(BUILT_IN_ROUND_DIR, round, { recursive: true })
    rmSync(join(round, "proposals", "BC05.json"))
    expect(await failed("scenarios", "saved", "solve", id, "--data", round)).toEqual({
      code: 2,
      message: `brugerscenarie ${id}: reglerne nævner BC05, som runden ofs-2025-26 ikke har; det kan ikke løses her`,
    })
    const shown = await out("scenarios", "saved", "show", id, "--data", round)
    expect(shown.exitCode).toBe(0)
    expect(shown.text).toMatch(/Optimum som det var, da denne version blev gemt:\nMålværdi/)
    expect(shown.text).toContain(
      "Det kan ikke løses i denne runde: reglerne nævner BC05, som runden ofs-2025-26 ikke har.",
    )
  })

  it("a new version of one whose base scenario the round lacks asks for --scenario, naming the one it lacks", async () => {
    const id = idOf(
      await text("scenarios", "saved", "save", "--title", "BC10 fuldt", "--scenario", "bc10-full"),
    )
    const round = join(store.dir(), "uden-bc10-full")
    cpSync(BUILT_IN_ROUND_DIR, round, { recursive: true })
    rmSync(join(round, "what-ifs", "bc10-full.json"))
    expect((await failed("scenarios", "saved", "save", "--id", id, "--data", round))?.message).toBe(
      `brugerscenarie ${id} version 1 bygger på scenariet bc10-full, som ikke findes i runden længere: giv den nye version et med --scenario; der er all-requested, bc10-scenario-2, ofs-2025-26, payback-waived`,
    )
    const v2 = await text(
      "scenarios",
      "saved",
      "save",
      "--id",
      id,
      "--data",
      round,
      "--scenario",
      "ofs-2025-26",
    )
    expect(v2).toContain(`brugerscenarie ${id}, version 2 ("BC10 fuldt")`)
  })

  it("delete takes it off the list; show then says it is unknown", async () => {
    const id = idOf(await text("scenarios", "saved", "save", "--title", "Kortlivet"))
    expect(await text("scenarios", "saved", "delete", id)).toContain(`Slettet: brugerscenarie ${id}`)
    expect(await text("scenarios", "saved", "list")).not.toContain(id)
    expect((await failed("scenarios", "saved", "show", id))?.code).toBe(2)
    expect((await failed("scenarios", "saved", "delete", id))?.code).toBe(2)
  })

  it("one that names the confidential proposal is seen only with --confidential DIR", async () => {
    const saved = await text(
      "scenarios",
      "saved",
      "save",
      "--confidential",
      FIXTURE,
      "--title",
      "Med XX99",
      "--lock",
      "XX99",
    )
    const id = idOf(saved)
    expect(saved).toContain("Låst: XX99")
    expect(await text("scenarios", "saved", "list", "--confidential", FIXTURE)).toContain(id)
    expect(await text("scenarios", "saved", "list")).not.toContain(id)
    expect((await failed("scenarios", "saved", "show", id))?.code).toBe(2)
  })

  it("has help", async () => {
    const help = await text("scenarios", "saved", "--help")
    expect(help).toContain("pulje scenarios saved save --title T")
    expect(help).toContain("--base-version N")
  })
})

describe("a user scenario saved before the round was kept with it", () => {
  it("still reads, shows and solves, with no round named", async () => {
    const saved = JSON.parse(
      await text("scenarios", "saved", "save", "--title", "Gammel", "--exclude", "BC05", "--json"),
    )
    const { round, ...old } = saved.body
    expect(round).toBe("ofs-2025-26")
    const db = openSqliteStore()
    const { id } = await db.scenarios.create(
      {
        name: "Gammel",
        note: "",
        body: old,
        figures: saved.figures,
        dataHash: saved.dataHash,
        confidential: false,
      },
      { keyId: null },
    )
    await db.close()
    const shown = await text("scenarios", "saved", "show", id)
    expect(shown).toMatch(/Gemt\s+.* UTC af kommandolinjen\n/)
    expect(shown).toContain("Data er uændret")
    expect(await text("scenarios", "saved", "versions", id)).toMatch(
      /\n\s+1\s+Gammel\s+ofs-2025-26\s+[\d.]+\s+-\s/,
    )
    expect((await out("scenarios", "saved", "solve", id)).exitCode).toBe(0)
  })
})
