import { afterAll, beforeAll } from "vitest"
import { failure, run } from "../../../src/cli/main.ts"
import { tempDir } from "../../store/support/fixtures.ts"

/** What `pulje` would print on stderr for argv that fails, and its exit code. */
export const failed = async (...argv: string[]) => {
  try {
    await run(argv)
  } catch (e) {
    return failure(e)
  }
  throw new Error(`pulje ${argv.join(" ")} did not fail`)
}

/**
 * A store of its own for the file's tests: PULJE_DATA_DIR points at a temp folder from before the
 * first test to after the last, then back to what it was; the folder is removed.
 */
export const useTempStore = (): { readonly dir: () => string } => {
  let tmp: ReturnType<typeof tempDir> | undefined
  const before = process.env.PULJE_DATA_DIR
  beforeAll(() => {
    tmp = tempDir()
    process.env.PULJE_DATA_DIR = tmp.dir
  })
  afterAll(() => {
    if (before === undefined) delete process.env.PULJE_DATA_DIR
    else process.env.PULJE_DATA_DIR = before
    tmp?.remove()
  })
  return {
    dir: () => {
      if (!tmp) throw new Error("useTempStore: no folder before the tests run")
      return tmp.dir
    },
  }
}
