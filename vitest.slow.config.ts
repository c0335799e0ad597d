import { defineConfig } from "vitest/config"

/** `npm run test:slow`: long runs kept out of `npm test` (the package tarball, heavy solver seeds). */
export default defineConfig({
  test: {
    include: ["tests/**/*.slow.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
})
