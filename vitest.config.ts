import { tmpdir } from "node:os"
import { join } from "node:path"
import { defineConfig } from "vitest/config"

/** `npm test`: everything but the slow suites (`*.slow.test.ts`, run by `npm run test:slow`). */
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/**/*.slow.test.ts", "**/node_modules/**"],
    // Both cores: a third worker only adds contention on a two-core machine.
    maxWorkers: 2,
    // Worker threads, and one module cache per worker rather than per file: the files import
    // the same sources, and loading them again for each file cost 23 s of the 68 s (now 49 s).
    // Every suite makes its own servers, stores and temporary folders, so none leans on another.
    pool: "threads",
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A server a test starts keeps its store here, not in the worktree's ./var.
    env: { PULJE_DATA_DIR: join(tmpdir(), "pulje-test-store") },
  },
})
