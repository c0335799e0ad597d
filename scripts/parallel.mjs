/**
 * Run npm scripts side by side and fail when any fails: `node scripts/parallel.mjs a b c`.
 * `npm test` uses it for the type checks and the build, three tsc runs that share no output and
 * would otherwise take their turns on a two-core machine. Each script's output is printed whole
 * when it ends, so the lines of two scripts never mix.
 */
import { spawn } from "node:child_process"

const names = process.argv.slice(2)
if (names.length === 0) {
  console.error("usage: node scripts/parallel.mjs <npm script> [<npm script> …]")
  process.exit(2)
}
const npm = process.platform === "win32" ? "npm.cmd" : "npm"
const run = (name) =>
  new Promise((done) => {
    const child = spawn(npm, ["run", "--silent", name], { stdio: ["ignore", "pipe", "pipe"] })
    const out = []
    child.stdout.on("data", (b) => out.push(b))
    child.stderr.on("data", (b) => out.push(b))
    child.on("error", (e) => done({ name, code: 1, text: `${e.message}\n` }))
    child.on("close", (code) => done({ name, code: code ?? 1, text: Buffer.concat(out).toString() }))
  })
const results = await Promise.all(names.map(run))
for (const r of results) {
  process.stdout.write(`> ${r.name}: ${r.code === 0 ? "ok" : `failed (exit ${r.code})`}\n${r.text}`)
}
process.exit(results.some((r) => r.code !== 0) ? 1 : 0)
