import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { run } from "../../src/cli/main.ts"
import { formatDanish } from "../../src/model/format.ts"
import { openSqliteStore } from "../../src/store/index.ts"
import { changeBC05, roundCopy, withRoundsDir } from "../support/changedRound.ts"
import { failed, useTempStore } from "./support/cli.ts"

const tempStore = useTempStore()

const text = async (...argv: string[]) => (await run(argv))?.text ?? ""

describe("pulje keys", () => {
  it("add prints the key once; list shows its id, never the key; revoke ends it", async () => {
    const added = await text(
      "keys",
      "add",
      "--role",
      "negotiator",
      "--confidential",
      "--name",
      "Forhandler A",
    )
    const key = added.split("\n")[0] ?? ""
    expect(key).toMatch(/^pulje_[a-z0-9]{12}_/)
    const id = key.slice(6, 18)
    expect(added).toContain("vises kun denne ene gang")
    const listed = await text("keys", "list")
    expect(listed).toContain(id)
    expect(listed).toContain("Forhandler A")
    expect(listed).not.toContain(key)
    const store = openSqliteStore()
    expect(await store.keys.verify(key)).toMatchObject({ role: "negotiator", confidential: true })
    expect(await text("keys", "revoke", id)).toContain("tilbagekaldt")
    expect(await store.keys.verify(key)).toBeNull()
    await store.close()
    await expect(run(["keys", "add", "--role", "boss", "--name", "x"])).rejects.toThrow(
      /reader, negotiator eller admin/,
    )
  })
})

describe("pulje backup", () => {
  it("writes a copy that is a whole store of its own", async () => {
    await text("packages", "save", "--name", "Til kopien", "BC05")
    const copy = join(tempStore.dir(), "kopi", "pulje.sqlite")
    expect(await text("backup", copy)).toContain("Kopi af lageret skrevet")
    const restored = openSqliteStore({ file: copy })
    expect((await restored.packages.list({ confidential: false })).map((p) => p.name)).toContain("Til kopien")
    expect((await restored.audit.verify()).ok).toBe(true)
    await restored.close()
    await expect(run(["backup"])).rejects.toThrow(/præcis én fil/)
  })
})

describe("pulje packages", () => {
  it("save, list, show, a new version, and diff", async () => {
    const saved = await text(
      "packages",
      "save",
      "--name",
      "Forslag A",
      "--note",
      "første bud",
      "BC05",
      "BC10:scenario-2",
    )
    const id = /pakke ([a-z0-9]{12}), version 1/.exec(saved)?.[1] ?? ""
    expect(id).not.toBe("")
    expect(saved).toContain("BC10:scenario-2 har tilbagebetalingstid 9 år")
    expect(saved).toMatch(/Målværdi\s+4\.619 \(1\.000 kr\., 2027 p\/l\)/)
    expect(await text("packages", "save", "--id", id, "--name", "Forslag A2", "BC05", "BC34")).toContain(
      "version 2",
    )
    const list = await text("packages", "list")
    expect(list).toMatch(new RegExp(`${id}\\s+Forslag A2\\s+2`))
    const shown = await text("packages", "show", id)
    expect(shown).toContain("Data er uændret")
    expect(shown).toContain("BC05, BC34")
    expect(await text("packages", "show", id, "--version", "1")).toContain("BC05, BC10:scenario-2")
    const diff = await text("packages", "diff", id)
    expect(diff).toMatch(/Tilføjet\s+BC34/)
    expect(diff).toMatch(/Fjernet\s+BC10:scenario-2/)
    expect(diff).toMatch(/Målværdi\s+4\.619 → /)
    await expect(run(["packages", "show", "nosuchid0000"])).rejects.toThrow(/no saved package/)
  })

  it("--round saves a package in that round and shows it there; another round says where it belongs", async () => {
    const rounds = join(tempStore.dir(), "rounds")
    roundCopy(rounds, "anden", changeBC05)
    await withRoundsDir(rounds, async () => {
      const here = JSON.parse(await text("evaluate", "BC05", "--json")).package.objective
      const saved = await text("packages", "save", "--round", "anden", "--name", "I anden", "BC05")
      const id = /pakke ([a-z0-9]{12}), version 1/.exec(saved)?.[1] ?? ""
      expect(saved).toMatch(new RegExp(`Målværdi\\s+${formatDanish(here + 1000).replace(".", "\\.")} `))
      expect(JSON.parse(await text("packages", "show", id, "--json")).body.round).toBe("anden")
      const there = await text("packages", "show", id, "--round", "anden")
      expect(there).toMatch(/Runde\s+anden/)
      expect(there).toContain("Data er uændret")
      const elsewhere = await text("packages", "show", id)
      expect(elsewhere).toContain(
        "Pakken er gemt i runden anden, ikke ofs-2025-26: vis den med --round anden.",
      )
      expect(elsewhere).not.toContain("Data er uændret")
      expect(await text("packages", "show", id, "--round", "ofs-2025-26")).toContain(
        "vis den med --round anden",
      )
      expect((await failed("packages", "list", "--round", "nope"))?.message).toMatch(
        /--round nope: ingen sådan runde; der er anden/,
      )
    })
  })
})
