import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { run } from "../../src/cli/main.ts"

/**
 * The README's command lines work as written (issue 7, defect 14: `npm run solve -- …` was
 * offered for every command but only runs solve): each `npx pulje …` and `npm run <script> -- …`
 * names a script that exists, and its arguments run as the pulje command they stand for.
 */

const ROOT = join(import.meta.dirname, "..", "..")
const readme = readFileSync(join(ROOT, "README.md"), "utf8")
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts

/** Every command line of the README's shell blocks that runs pulje, as pulje's own arguments. */
const commandLines = (): { line: string; args: string[] }[] =>
  [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => (m[1] ?? "").split("\n"))
    .map((l) => l.replace(/#.*$/, "").trim())
    .flatMap((line) => {
      const npx = /^npx pulje(?: (.*))?$/.exec(line)
      if (npx) return [{ line, args: (npx[1] ?? "").split(/\s+/).filter(Boolean) }]
      const npm = /^npm run (\S+)(?: -- (.*))?$/.exec(line)
      if (!npm?.[1]) return []
      const script = scripts[npm[1]] ?? ""
      expect(script, `${line}: no script "${npm[1]}"`).not.toBe("")
      const bin = /^node bin\/pulje\.mjs ?(.*)$/.exec(script)
      if (!bin) return []
      return [
        { line, args: [...(bin[1] ?? "").split(/\s+/), ...(npm[2] ?? "").split(/\s+/)].filter(Boolean) },
      ]
    })

describe("the README's command lines", () => {
  const lines = commandLines()

  it("are found, through npx and npm run alike", () => {
    expect(lines.length).toBeGreaterThanOrEqual(14)
    expect(lines.some((l) => l.line.startsWith("npm run pulje -- audit"))).toBe(true)
  })

  it.each(lines.filter((l) => l.args[0] !== "serve").map((l) => [l.line, l.args] as const))(
    "%s runs",
    async (_, args) => {
      const out = await run(args)
      expect(out?.text.length).toBeGreaterThan(0)
      // evaluate of a package that breaks the rules exits 1 by design; nothing else may fail.
      if (args[0] !== "evaluate") expect(out?.exitCode).toBe(0)
    },
  )
})
