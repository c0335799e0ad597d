import { tmpdir } from "node:os"
import { join } from "node:path"
import { defineConfig } from "vitest/config"

/**
 * `npm run test:slow`: long runs kept out of `npm test`: the package tarball, the real processes
 * (SIGTERM to `npm start` and to several HTTP processes, kill -9 during saves, 16 writers at
 * once) and, after it, the heavy solver seeds.
 */
export default defineConfig({
  test: {
    include: ["tests/**/*.slow.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    env: { PULJE_DATA_DIR: join(tmpdir(), "pulje-test-store") },
  },
})
