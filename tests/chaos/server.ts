import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { readdirSync, statSync } from "node:fs"
import { createServer } from "node:net"
import { join, relative } from "node:path"

/** The real server in its own process (as in production), on 127.0.0.1 and a free port. */
export interface Running {
  readonly base: string
  readonly port: number
  readonly child: ChildProcess
  stop(): Promise<void>
}

const freePort = async (): Promise<number> => {
  const s = createServer().listen(0, "127.0.0.1")
  await once(s, "listening")
  const address = s.address()
  s.close()
  if (address === null || typeof address === "string") throw new Error("no free port")
  return address.port
}

/**
 * Why the built server in dist cannot stand for src: a module of src (the web page's aside) whose
 * built file is missing or older; null when dist is current.
 */
export const staleBuild = (root: string): string | null => {
  const src = join(root, "src")
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name)
    const name = relative(src, path)
    if (!entry.isFile() || !name.endsWith(".ts") || name.endsWith(".d.ts") || name.startsWith("web")) continue
    const built = join(root, "dist", name.replace(/\.ts$/, ".js"))
    let builtAt: number
    try {
      builtAt = statSync(built).mtimeMs
    } catch {
      return `dist/${relative(join(root, "dist"), built)} is missing: run npm run build first`
    }
    if (builtAt < statSync(path).mtimeMs)
      return `dist/${relative(join(root, "dist"), built)} is older than src/${name}: run npm run build first`
  }
  return null
}

/**
 * Start the server. By default from src through tsx (the tests' code, no build needed); with
 * `built` as production runs it (`npm start`: node dist/cli/main.js serve), which needs a
 * current build and says so; `root` is the checkout to run (default this one).
 */
export const startServer = async (
  env: Record<string, string> = {},
  options: { readonly built?: boolean; readonly root?: string } = {},
): Promise<Running> => {
  const root = options.root ?? join(import.meta.dirname, "..", "..")
  if (options.built) {
    const stale = staleBuild(root)
    if (stale !== null) throw new Error(stale)
  }
  const port = await freePort()
  const argv = options.built
    ? [join(root, "dist", "cli", "main.js"), "serve"]
    : ["--import", "tsx", join(root, "src", "api", "server.ts")]
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "error", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`)
    if (i > 600) throw new Error("the server did not come up within 60 s")
    const up = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (up) break
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    base,
    port,
    child,
    async stop() {
      if (child.exitCode !== null) return
      child.kill("SIGTERM")
      await once(child, "exit")
    },
  }
}

/** The q-quantile of some numbers (nearest rank). */
export const quantile = (xs: readonly number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

/**
 * Ask /health every `everyMs` until `until` settles, from a process of its own (so that the
 * load the test itself makes does not delay the probe); the latency of each answer (ms).
 */
export const probeHealth = async (base: string, until: Promise<unknown>, everyMs = 20): Promise<number[]> => {
  const script = `
    const times = []
    let done = false
    process.stdin.on("data", () => { done = true })
    const loop = async () => {
      while (!done) {
        const t0 = performance.now()
        const r = await fetch(${JSON.stringify(`${base}/health`)})
        await r.arrayBuffer()
        if (r.status !== 200) { console.error("/health answered " + r.status); process.exit(1) }
        times.push(performance.now() - t0)
        await new Promise((resolve) => setTimeout(resolve, ${everyMs}))
      }
      process.stdout.write(JSON.stringify(times), () => process.exit(0))
    }
    loop()
  `
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] })
  let out = ""
  child.stdout.on("data", (d) => {
    out += d
  })
  await until.catch(() => undefined)
  child.stdin.write("stop\n")
  const [code] = await once(child, "exit")
  if (code !== 0) throw new Error(`the /health probe failed (exit ${code})`)
  return JSON.parse(out) as number[]
}
