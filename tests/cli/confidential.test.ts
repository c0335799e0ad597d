import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { run } from "../../src/cli/main.ts"
import { failed } from "./support/cli.ts"

/**
 * The person at the command line who holds the confidential folder (tests/fixtures/confidential,
 * fictional test data) names it with --confidential DIR or PULJE_CONFIDENTIAL_DIR: every data
 * command then sees its proposal. Without it, nothing names the proposal.
 */
const FIXTURE = join(import.meta.dirname, "..", "fixtures", "confidential")
const ID = "XX99"
const TITLE = "Zephyrbro"

const text = async (...argv: string[]) => (await run(argv))?.text ?? ""

const before = process.env.PULJE_CONFIDENTIAL_DIR
afterEach(() => {
  if (before === undefined) delete process.env.PULJE_CONFIDENTIAL_DIR
  else process.env.PULJE_CONFIDENTIAL_DIR = before
})

describe("--confidential DIR on the data commands", () => {
  it("proposals lists the confidential proposal only with the folder", async () => {
    const listed = await text("proposals", "--confidential", FIXTURE)
    expect(listed).toContain(ID)
    expect(listed).toContain(TITLE)
    expect(await text("proposals", ID, "--confidential", FIXTURE)).toContain(TITLE)
    const plain = await text("proposals")
    expect(plain).not.toContain(ID)
    expect(plain).not.toContain(TITLE)
  })

  it("solve --lock takes the confidential proposal into the package; without the folder it is unknown", async () => {
    const r = JSON.parse(await text("solve", "--confidential", FIXTURE, "--lock", ID, "--json"))
    expect(r.result.status).toBe("optimal")
    expect(r.result.package.chosen.map((c: { proposal: string }) => c.proposal)).toContain(ID)
    const unknown = await failed("solve", "--lock", ID)
    expect(unknown?.message).toMatch(/--lock XX99: intet sådant forslag/)
    expect(unknown?.message).not.toContain(TITLE)
    expect(await text("solve")).not.toContain(ID)
  })

  it("evaluate and compare take it too", async () => {
    expect(await text("evaluate", "BC05", ID, "--confidential", FIXTURE)).toContain(ID)
    const compared = await text(
      "compare",
      "--confidential",
      FIXTURE,
      "--scenario",
      "ofs-2025-26",
      "--package",
      `BC05,${ID}`,
    )
    expect(compared).toContain(ID)
  })

  it("PULJE_CONFIDENTIAL_DIR does what --confidential does", async () => {
    process.env.PULJE_CONFIDENTIAL_DIR = FIXTURE
    expect(await text("proposals")).toContain(TITLE)
    expect(await text("solve", "--lock", ID)).toContain(ID)
  })

  it("a folder that is not there is a readable message with the exit code of a missing --data", async () => {
    const data = await failed("proposals", "--data", join(FIXTURE, "nope"))
    const missing = await failed("proposals", "--confidential", join(FIXTURE, "nope"))
    expect(missing?.message).toMatch(
      /^--confidential .*nope: mappen .*nope findes ikke; de fortrolige forslag/,
    )
    expect(missing?.code).toBe(data?.code)
    const file = await failed("solve", "--confidential", join(FIXTURE, `${ID}.json`))
    expect(file?.code).toBe(data?.code)
    process.env.PULJE_CONFIDENTIAL_DIR = join(FIXTURE, "nope")
    expect((await failed("solve"))?.message).toMatch(/^PULJE_CONFIDENTIAL_DIR: mappen .*nope findes ikke/)
  })

  it("serve says the same of a folder that is not there, before it starts anything", async () => {
    const data = await failed("proposals", "--data", join(FIXTURE, "nope"))
    const confidential = await failed("serve", "--port", "0", "--confidential", join(FIXTURE, "nope"))
    expect(confidential?.message).toMatch(/^--confidential .*nope: mappen .*nope findes ikke/)
    expect(confidential?.code).toBe(data?.code)
    const round = await failed("serve", "--port", "0", "--data", join(FIXTURE, "nope"))
    expect(round?.message).toBe(data?.message)
    expect(round?.code).toBe(data?.code)
  })
})
