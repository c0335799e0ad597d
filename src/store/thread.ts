import { join } from "node:path"
import { pathToFileURL } from "node:url"

/**
 * A worker thread's entry for a module: the module itself, or for a TypeScript source (running
 * from the sources) a bootstrap that registers the tsx loader (resolved from here, not from the
 * cwd) in the thread before importing it.
 */
export const threadEntry = (url: URL): { entry: URL | string; eval: boolean } => {
  if (!url.pathname.endsWith(".ts")) return { entry: url, eval: false }
  const api = import.meta.resolve("tsx/esm/api")
  return {
    entry: `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}))`,
    eval: true,
  }
}

/** The URL of module `name` (without extension) in folder `dir`, in the running flavour (.ts or .js). */
export const siblingModule = (dir: string, name: string, running: string): URL =>
  pathToFileURL(join(dir, `${name}${running.endsWith(".ts") ? ".ts" : ".js"}`))
