import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

/**
 * The server as an operator starts it: compiled JavaScript (no tsx or esbuild process), and a
 * clean stop on SIGTERM: "closing" logged, exit code 0, whether started through npm or directly.
 */

const ROOT = join(import.meta.dirname, "..", "..")

const start = (command: string, args: string[]) =>
  spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", SOLVER_THREADS: "1", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  })

/** Wait for the "listening" log line; the port it names. */
const listening = (child: ChildProcess, out: { text: string }) =>
  new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out.text += d.toString()
      const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out.text)
      if (m) resolve(Number(m[1]))
    })
    child.stderr?.on("data", (d: Buffer) => {
      out.text += d.toString()
    })
    child.once("exit", (code) => reject(new Error(`exited ${code} before listening: ${out.text}`)))
  })

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))

/** Every process in the tree under `pid` (Linux /proc), with its command line. */
const descendants = async (pid: number): Promise<string[]> => {
  const { readdirSync, readFileSync } = await import("node:fs")
  const procs = readdirSync("/proc").filter((d) => /^\d+$/.test(d))
  const parent = new Map<number, number>()
  const cmd = new Map<number, string>()
  for (const p of procs) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8")
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]))
      cmd.set(Number(p), readFileSync(`/proc/${p}/cmdline`, "utf8").replaceAll("\0", " "))
    } catch {
      // the process ended while we looked
    }
  }
  const out: string[] = []
  const walk = (p: number) => {
    for (const [child, par] of parent)
      if (par === p) {
        out.push(cmd.get(child) ?? "")
        walk(child)
      }
  }
  walk(pid)
  return out
}

describe.concurrent("the server process", () => {
  it.each([
    ["node bin/pulje.mjs serve", process.execPath, [join("bin", "pulje.mjs"), "serve"]],
    ["npm start", "npm", ["start"]],
  ] as const)(
    "%s answers, runs no tsx or esbuild, and stops cleanly on SIGTERM",
    async (_, command, args) => {
      const child = start(command, [...args])
      const out = { text: "" }
      const port = await listening(child, out)
      const health = await fetch(`http://127.0.0.1:${port}/health`)
      expect(health.status).toBe(200)
      const tree = [`${command} ${args.join(" ")}`, ...(await descendants(child.pid ?? 0))]
      expect(tree.filter((c) => /tsx|esbuild/.test(c))).toEqual([])
      const done = exited(child)
      child.kill("SIGTERM")
      expect(await done).toBe(0)
      expect(out.text).toMatch(/"signal":"SIGTERM".*"msg":"closing"/)
    },
  )
})
