import { Catalog } from "../api/catalog.ts"
import { inlinePool } from "../api/pool.ts"
import { Service } from "../api/service.ts"

/** What a command works with: the data (loaded once) and the API's use cases, solved in-process. */
export interface Context {
  readonly catalog: Catalog
  readonly service: Service
}

export const context = (dataDir: string | undefined): Context => {
  const catalog = new Catalog(dataDir === undefined ? {} : { dataDir })
  return { catalog, service: new Service(catalog, inlinePool(catalog.data.proposals)) }
}

/** Where a command writes: the tests capture it, main prints it. */
export interface Output {
  readonly text: string
  readonly exitCode: number
}

export const ok = (lines: readonly string[] | string): Output => ({
  text: typeof lines === "string" ? lines : lines.join("\n"),
  exitCode: 0,
})

export const json = (value: unknown, exitCode = 0): Output => ({
  text: JSON.stringify(value, null, 2),
  exitCode,
})
