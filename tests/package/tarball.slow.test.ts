import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * The package as a stranger gets it: `npm pack`, installed into an empty ESM project, the
 * README's "Library" example run with plain node and type-checked with tsc.
 */

const ROOT = join(import.meta.dirname, "..", "..")
const exec = promisify(execFile)
const npm = (args: string[], cwd: string) =>
  exec("npm", args, { cwd, env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } })

/** The first ```js block under "### Library" in the README. */
const readmeExample = (): string => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8")
  const section = readme.slice(readme.indexOf("### Library"))
  const m = /```js\n([\s\S]*?)```/.exec(section)
  if (!m?.[1]) throw new Error("README has no js example under ### Library")
  return m[1]
}

let dir: string
let tarball: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pulje-tarball-"))
  // dist/ is built by `npm run test:slow` before the tests; no prepare script here.
  const { stdout } = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT)
  tarball = join(dir, (JSON.parse(stdout) as { filename: string }[])[0]?.filename ?? "")
  const consumer = join(dir, "consumer")
  mkdirSync(consumer)
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2),
  )
  await npm(["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], consumer)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("the npm package", () => {
  it("holds the library, the command, the data and the licence, and no tests, bench or CI", async () => {
    const { stdout } = await exec("tar", ["-tzf", tarball])
    const files = stdout.split("\n").filter(Boolean)
    expect(files).toContain("package/dist/index.js")
    expect(files).toContain("package/dist/index.d.ts")
    expect(files).toContain("package/dist/app/worker.js")
    expect(files).toContain("package/bin/pulje.mjs")
    expect(files).toContain("package/scenarios/ofs-2025-26/round.json")
    expect(files).toContain("package/LICENSE")
    expect(files.filter((f) => /^package\/(tests|bench|\.ci|src|scripts)\//.test(f))).toEqual([])
  })

  it("runs the README's library example with plain node", async () => {
    const consumer = join(dir, "consumer")
    writeFileSync(join(consumer, "example.mjs"), readmeExample())
    const { stdout, stderr } = await exec(process.execPath, ["example.mjs"], { cwd: consumer })
    expect(stderr).toBe("")
    expect(stdout).toContain("package: BC05 BC07 BC08 BC20 BC26 BC28 BC32 BC34 BC35 BC37 BC38 BC41")
    expect(stdout).toContain("saving per year: 79.157 (1.000 kr., 2027 p/l)")
    expect(stdout).toContain("keeps the rules: true against the optimum: -77359")
  })

  it("type-checks the same example as TypeScript against the package's own types", async () => {
    const consumer = join(dir, "consumer")
    writeFileSync(join(consumer, "consumer.ts"), readmeExample())
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ["consumer.ts"],
      }),
    )
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc")
    const r = await exec(process.execPath, [tsc, "-p", "."], { cwd: consumer }).catch((e) => e)
    expect(`${r.stdout ?? ""}${r.stderr ?? ""}`).toBe("")
  })

  it("installs the pulje command, which runs compiled JavaScript", async () => {
    const consumer = join(dir, "consumer")
    const bin = join(consumer, "node_modules", ".bin", "pulje")
    const { stdout } = await exec(bin, ["solve"], { cwd: consumer })
    expect(stdout).toContain("optimal (bevist)")
    expect(readdirSync(join(consumer, "node_modules", "pulje", "dist", "cli"))).toContain("main.js")
  })
})
