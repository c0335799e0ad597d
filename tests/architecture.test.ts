import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"
import { z } from "zod"
import * as api from "../src/api/schemas.ts"
import * as app from "../src/app/index.ts"
import * as model from "../src/model/index.ts"
import * as solver from "../src/solver/index.ts"

/** The shape the issue asked for: model → solver → app → api | cli, and each result schema once. */

const SRC = join(import.meta.dirname, "..", "src")
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  )

/** The src layers a file imports (static and dynamic imports of relative paths). */
const layersImported = (file: string): string[] => {
  const text = readFileSync(file, "utf8")
  const specs = [...text.matchAll(/(?:from|import\()\s*"(\.[^"]+)"/g)].map((m) => m[1] ?? "")
  return specs.map((s) => relative(SRC, join(file, "..", s)).split("/")[0] ?? "")
}

const ALLOWED: Record<string, readonly string[]> = {
  model: ["model"],
  solver: ["model", "solver"],
  // Files (round workbooks, package exports): over the model and the solver's results.
  io: ["model", "solver", "io"],
  store: ["model", "solver", "store"],
  app: ["model", "solver", "io", "store", "app"],
  api: ["model", "solver", "app", "api"],
  cli: ["model", "solver", "app", "cli"],
}

describe("the layers", () => {
  it.each(Object.keys(ALLOWED))("src/%s imports only the layers below it", (layer) => {
    for (const file of files(join(SRC, layer))) {
      const name = relative(SRC, file)
      // The serve command is the one place the command line starts the REST service.
      const allowed = name === "cli/commands/serve.ts" ? [...(ALLOWED[layer] ?? []), "api"] : ALLOWED[layer]
      for (const l of layersImported(file)) expect(allowed, `${name} imports src/${l}`).toContain(l)
    }
  })
})

describe("one schema per result", () => {
  it("no two exported object schemas have the same shape", () => {
    const seen = new Map<string, string>()
    const found: string[] = []
    const modules = { model, solver, app, api } as Record<string, Record<string, unknown>>
    const objects = new Map<z.ZodType, string>()
    for (const [m, exports] of Object.entries(modules))
      for (const [name, value] of Object.entries(exports))
        if (value instanceof z.ZodObject && !objects.has(value)) objects.set(value, `${m}.${name}`)
    for (const [schema, name] of objects) {
      const shape = Object.keys(schema instanceof z.ZodObject ? schema.shape : {})
      if (shape.length < 2) continue
      const json = JSON.stringify(z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }), (k, v) =>
        // The API's copies of input schemas differ by their examples only, by design.
        k === "description" || k === "id" ? undefined : v,
      )
      const other = seen.get(json)
      if (other) found.push(`${other} = ${name}`)
      else seen.set(json, name)
    }
    expect(found).toEqual([])
  })

  it("declares no interface or object type in src/api, and routes cast nothing", () => {
    for (const file of files(join(SRC, "api"))) {
      const text = readFileSync(file, "utf8")
      expect(text, relative(SRC, file)).not.toMatch(
        /^\s*(export )?interface \w+ \{\s*readonly (statusCode|result|package)/m,
      )
      if (file.includes("/routes/")) expect(text.replace(/as const/g, ""), file).not.toMatch(/\bas [A-Z]\w*/)
    }
  })
})
