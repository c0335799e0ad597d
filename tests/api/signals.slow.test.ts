import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { DATABASE_FILE, openSqliteStore } from "../../src/store/index.ts"

/**
 * The server as an operator starts it: compiled JavaScript (no tsx or esbuild process), and a
 * clean stop on SIGTERM: "closing" logged, exit code 0, whether started through npm or directly.
 */

const ROOT = join(import.meta.dirname, "..", "..")

const start = (command: string, args: string[], env: Record<string, string> = {}) =>
  spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", SOLVER_THREADS: "1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // A group of its own, so that a test that fails half-way can end the server and all it started.
    detached: true,
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

/** Kill a started server's whole process group, if anything of it still runs. */
const endGroup = (child: ChildProcess) => {
  try {
    process.kill(-(child.pid ?? 0), "SIGKILL")
  } catch {
    // all gone already
  }
}

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

describe("several HTTP processes (pulje serve --processes 2)", () => {
  it("share one port, write one unbroken audit chain, and all stop cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pulje-cluster-"))
    const child = start(process.execPath, [join("bin", "pulje.mjs"), "serve", "--processes", "2"], {
      PULJE_DATA_DIR: dir,
    })
    try {
      const out = { text: "" }
      const port = await listening(child, out)
      // Both processes listen on the same port (the first line names it).
      while ((out.text.match(/listening at http:\/\/127\.0\.0\.1:(\d+)/g) ?? []).length < 2)
        await new Promise((r) => setTimeout(r, 50))
      expect(new Set(out.text.match(/listening at http:\/\/127\.0\.0\.1:\d+/g))).toEqual(
        new Set([`listening at http://127.0.0.1:${port}`]),
      )
      const processes = await descendants(child.pid ?? 0)
      const solve = async (i: number) => {
        const r = await fetch(`http://127.0.0.1:${port}/scenarios/ofs-2025-26/solve`, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({ rules: { limits: { service: 80_000 + i } } }),
        })
        expect(r.status).toBe(200)
        await r.arrayBuffer()
      }
      for (let round = 0; round < 5; round++)
        await Promise.all(Array.from({ length: 8 }, (_, i) => solve(round * 8 + i)))
      const done = exited(child)
      child.kill("SIGTERM")
      expect(await done).toBe(0)
      // Each process answered some of the solves, said it was closing, and is gone.
      const answeredBy = new Set(
        out.text
          .split("\n")
          .filter((l) => l.includes('"url":"/scenarios/ofs-2025-26/solve"'))
          .map((l) => (JSON.parse(l) as { pid: number }).pid),
      )
      expect(answeredBy.size).toBe(2)
      expect(out.text.match(/"signal":"SIGTERM".*"msg":"closing"/g)?.length).toBe(3)
      expect(processes.filter((c) => c.includes("pulje.mjs serve")).length).toBe(2)
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0)
          return true
        } catch {
          return false
        }
      }
      expect([...answeredBy].filter(alive)).toEqual([])
      const store = openSqliteStore({ file: join(dir, DATABASE_FILE) })
      try {
        const check = await store.audit.verify()
        expect(check).toEqual({ ok: true, rows: 40 })
      } finally {
        await store.close()
      }
    } finally {
      endGroup(child)
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("stop together, exit code 2 as one process would, when a process refuses to start (no key, not loopback)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pulje-cluster-"))
    const child = start(process.execPath, [join("bin", "pulje.mjs"), "serve", "--processes", "2"], {
      PULJE_DATA_DIR: dir,
      HOST: "0.0.0.0",
    })
    try {
      const out = { text: "" }
      child.stdout?.on("data", (d: Buffer) => {
        out.text += d.toString()
      })
      child.stderr?.on("data", (d: Buffer) => {
        out.text += d.toString()
      })
      expect(await exited(child)).toBe(2)
      expect(out.text).toContain("no API key exists")
    } finally {
      endGroup(child)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
