import { spawn } from "node:child_process"
import { randomInt } from "node:crypto"
import { join } from "node:path"
import { Worker } from "node:worker_threads"
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { DATABASE_FILE, openSqliteStore } from "../../src/store/index.ts"
import { bundleHelper, packageDraft, tempDir, tsxArgs } from "./support/fixtures.ts"

const view = { confidential: false, includeDeleted: true }

let saver: string
let writer: string
beforeAll(async () => {
  ;[saver, writer] = await Promise.all([bundleHelper("saver"), bundleHelper("writer")])
})
let tmp: ReturnType<typeof tempDir>
let file: string
beforeEach(() => {
  tmp = tempDir()
  file = join(tmp.dir, DATABASE_FILE)
})
afterEach(() => tmp.remove())

interface Ack {
  readonly id: string
  readonly version: number
  readonly name: string
}

/** Run the saver child until a random moment after its first acknowledged save, then kill -9 it. */
const saveUntilKilled = (tag: string): Promise<{ acks: Ack[]; killedAfterMs: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [saver, file, tag], { stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    let killedAfterMs = -1
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      if (killedAfterMs < 0 && out.includes("\n")) {
        killedAfterMs = randomInt(50, 600)
        setTimeout(() => child.kill("SIGKILL"), killedAfterMs)
      }
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk
    })
    child.on("error", reject)
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") return reject(new Error(`saver ended by itself (${code}): ${err}`))
      // Only whole lines are acknowledgements; a line cut by the kill was not fully sent.
      const acks = out
        .split("\n")
        .slice(0, -1)
        .map((line) => {
          const [, id = "", version = "", name = ""] = line.split(" ")
          return { id, version: Number(version), name }
        })
      resolve({ acks, killedAfterMs })
    })
  })

describe("durability", () => {
  it("every save acknowledged before kill -9 is there after reopening, and the audit is whole", async () => {
    const acked: Ack[] = []
    const rounds = ["r1", "r2"]
    for (const [round, tag] of rounds.entries()) {
      const { acks, killedAfterMs } = await saveUntilKilled(tag)
      expect(acks.length, `round ${tag}`).toBeGreaterThan(0)
      acked.push(...acks)

      const store = openSqliteStore({ file })
      for (const a of acked) {
        const v = await store.packages.version(a.id, a.version, view)
        expect(v?.name, `${a.id}@${a.version}`).toBe(a.name)
      }
      // At most the one save in flight at each kill went through unacknowledged, whole or not at all.
      const stored = await Promise.all(
        (await store.packages.list(view)).map(async (p) => (await store.packages.versions(p.id, view)) ?? []),
      )
      const versions = stored.flat()
      expect(versions.length - acked.length).toBeGreaterThanOrEqual(0)
      expect(versions.length - acked.length).toBeLessThanOrEqual(round + 1)
      const chain = await store.audit.verify()
      expect(chain).toEqual({ ok: true, rows: versions.length })
      await store.close()
      console.info(
        `durability ${tag}: killed ${killedAfterMs} ms after the first ack; ${acks.length} saves acknowledged, ` +
          `${acked.length} acknowledged in all, ${versions.length} versions found`,
      )
    }
  })
})

/**
 * The REST service over the store file in a child process (support/server.ts; `auditThread`: the
 * audit rows of solves committed by the writer thread, as `pulje serve` does), with its port.
 */
const serveStore = async (auditThread: boolean) => {
  const child = spawn(
    process.execPath,
    [
      ...tsxArgs(),
      join(import.meta.dirname, "support", "server.ts"),
      file,
      ...(auditThread ? ["thread"] : []),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  )
  const port = await new Promise<number>((resolve, reject) => {
    let out = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      const m = /port (\d+)\n/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.on("exit", (code) => reject(new Error(`server ended (${code})`)))
  })
  const exited = new Promise((resolve) => child.on("exit", resolve))
  return { child, port, exited }
}

/**
 * Sixteen clients send `request(client, i)` to the server until it dies under them (kill -9
 * 300-900 ms after the first answer); what each answered 2xx gave (`read` of the answer), and how
 * many were sent.
 */
const sendUntilKilled = async <T>(
  server: Awaited<ReturnType<typeof serveStore>>,
  request: (c: number, i: number) => { path: string; body: unknown },
  read: (answer: unknown, c: number, i: number) => T,
) => {
  const { child, port, exited } = server
  const acked: T[] = []
  let sent = 0
  const client = async (c: number) => {
    for (let i = 0; ; i++) {
      const { path, body } = request(c, i)
      sent++
      try {
        const r = await fetch(`http://127.0.0.1:${port}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        })
        if (!r.ok) throw new Error(`${path} answered ${r.status}: ${await r.text()}`)
        acked.push(read(await r.json(), c, i))
        if (acked.length === 1) setTimeout(() => child.kill("SIGKILL"), killAfterMs)
      } catch (e) {
        if (child.exitCode !== null || child.signalCode !== null) return
        if (e instanceof TypeError) return // the connection died with the server
        throw e
      }
    }
  }
  const killAfterMs = randomInt(300, 900)
  await Promise.all(Array.from({ length: 16 }, (_, c) => client(c)))
  await exited
  return { acked, sent, killAfterMs }
}

describe("durability of the REST service", () => {
  it("every save answered 201 to 16 clients before kill -9 of the server is there after a restart", async () => {
    const { acked, sent, killAfterMs } = await sendUntilKilled(
      await serveStore(false),
      (c, i) => ({ path: "/packages", body: { name: `c${c}-${i}`, package: [{ proposal: "BC05" }] } }),
      (answer, c, i) => ({ id: (answer as { id: string }).id, name: `c${c}-${i}` }),
    )
    expect(acked.length).toBeGreaterThan(0)

    const store = openSqliteStore({ file })
    for (const a of acked) expect((await store.packages.get(a.id, view))?.name, a.name).toBe(a.name)
    const stored = await store.packages.list(view)
    expect(stored.length).toBeGreaterThanOrEqual(acked.length)
    expect(stored.length).toBeLessThanOrEqual(sent)
    expect((await store.audit.verify()).ok).toBe(true)
    await store.close()
    console.info(
      `durability (REST): killed ${killAfterMs} ms after the first answer; ${acked.length} saves answered 201, all found; ${stored.length} stored, ${sent} sent`,
    )
  })

  // The rows of solves are committed without a sync to disk by default (PULJE_AUDIT_SYNC): what
  // that promises is that a crash of the process loses none that was answered.
  for (const auditThread of [true, false])
    it(`every solve answered 200 before kill -9 of the server has its audit row after a restart (${auditThread ? "writer thread" : "event loop"})`, async () => {
      const { acked, sent, killAfterMs } = await sendUntilKilled(
        await serveStore(auditThread),
        (c, i) => ({
          path: "/scenarios/ofs-2025-26/solve",
          body: { rules: { limits: { service: 60_000 + c * 1000 + i, anlaeg: 87_500 } } },
        }),
        (answer) => (answer as { result: { status: string } }).result.status,
      )
      expect(acked.length).toBeGreaterThan(0)
      expect(new Set(acked)).toEqual(new Set(["optimal"]))

      const store = openSqliteStore({ file })
      const solves = await store.audit.list({ confidential: false }, { action: "solve", limit: 100_000 })
      expect(solves.length).toBeGreaterThanOrEqual(acked.length)
      expect(solves.length).toBeLessThanOrEqual(sent)
      // Each row a distinct request (each client's pools differ per request).
      expect(new Set(solves.map((r) => r.requestHash)).size).toBe(solves.length)
      expect(await store.audit.verify()).toEqual({ ok: true, rows: solves.length })
      await store.close()
      console.info(
        `durability of solve rows (${auditThread ? "writer thread" : "event loop"}): killed ${killAfterMs} ms after the first answer; ${acked.length} solves answered, ${solves.length} rows, ${sent} sent`,
      )
    })
})

/**
 * Start `writers` writer threads on `file` (new: they race to create it); once each has opened
 * it, `go(shared)` sends them all the shared package's id at once and waits for their saves.
 */
const startWriters = async (writers: number, count: number) => {
  const workers = Array.from(
    { length: writers },
    (_, i) => new Worker(writer, { workerData: { file, writer: i, count } }),
  )
  const message = (w: Worker) =>
    new Promise<unknown>((resolve, reject) => {
      w.once("message", resolve)
      w.once("error", reject)
    })
  await Promise.all(workers.map(message))
  return (shared: string) => {
    const done = workers.map((w) => message(w) as Promise<{ own: string[]; versions: number[] }>)
    for (const w of workers) w.postMessage({ shared })
    return Promise.all(done)
  }
}

describe("concurrency", () => {
  it("16 writers opening a new database at once migrate it once, save at once, and lose nothing", async () => {
    const writers = 16
    const count = 4
    const go = await startWriters(writers, count)
    const store = openSqliteStore({ file })
    const shared = await store.packages.create(packageDraft("shared"), { keyId: "setup" })
    const t0 = performance.now()
    const done = await go(shared.id)
    const ms = performance.now() - t0

    const own = done.flatMap((d) => d.own)
    expect(new Set(own).size).toBe(writers * count)
    for (const id of own) expect((await store.packages.versions(id, view))?.length).toBe(1)
    // Each writer got a version number of its own, and together they are 2 … 65 without a gap.
    const got = done.flatMap((d) => d.versions).sort((a, b) => a - b)
    expect(got).toEqual(Array.from({ length: writers * count }, (_, i) => i + 2))
    const history = (await store.packages.versions(shared.id, view)) ?? []
    expect(history.map((v) => v.version)).toEqual(
      Array.from({ length: writers * count + 1 }, (_, i) => i + 1),
    )
    for (let w = 0; w < writers; w++)
      expect(history.filter((v) => v.savedBy === `writer-${w}`)).toHaveLength(count)
    // One row per save, and each writer's three solve rows per round, chained whole.
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 1 + 5 * writers * count })
    const solves = await store.audit.list({ confidential: false }, { action: "solve", limit: 1000 })
    expect(new Set(solves.map((r) => r.requestHash)).size).toBe(3 * writers * count)
    await store.close()
    console.info(`concurrency: ${writers} writers, ${2 * writers * count} saves in ${Math.round(ms)} ms`)
  })
})
