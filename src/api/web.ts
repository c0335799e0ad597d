import { existsSync, readdirSync, readFileSync } from "node:fs"
import { extname, join } from "node:path"
import type { FastifyInstance } from "fastify"

/** Where `npm run build:web` writes the negotiation page. */
export const WEB_DIR = join(import.meta.dirname, "..", "..", "build", "web")

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
}

/**
 * Serves the negotiation page: `/` is the HTML (always revalidated, so a new build shows at once)
 * and `/assets/<name>-<hash>.<ext>` the script and stylesheet, cached for good since their names
 * change with their content. Files are read once, at start; a missing build gives a 503 that says
 * how to make it.
 */
export const webPage = async (app: FastifyInstance, opts: { readonly dir?: string } = {}): Promise<void> => {
  const dir = opts.dir ?? WEB_DIR
  const index = join(dir, "index.html")
  const html = existsSync(index) ? readFileSync(index) : null
  const assets = new Map<string, Buffer>()
  if (existsSync(join(dir, "assets")))
    for (const name of readdirSync(join(dir, "assets")))
      assets.set(name, readFileSync(join(dir, "assets", name)))

  app.get("/", { schema: { hide: true } }, async (_req, reply) => {
    if (html === null)
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("The page is not built: run `npm run build:web` (npm ci does it), then restart.")
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(html)
  })

  app.get<{ Params: { name: string } }>("/assets/:name", { schema: { hide: true } }, async (req, reply) => {
    const body = assets.get(req.params.name)
    if (body === undefined) return reply.callNotFound()
    return reply
      .type(TYPES[extname(req.params.name)] ?? "application/octet-stream")
      .header("cache-control", "public, max-age=31536000, immutable")
      .send(body)
  })
}
