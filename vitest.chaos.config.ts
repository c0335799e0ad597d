import { defineConfig } from "vitest/config"

/** The slow checks of issue 13 (bursts, load, slow clients, thread faults): `npm run test:chaos`. */
export default defineConfig({
  test: {
    include: ["tests/chaos/**/*.chaos.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // One file at a time: each loads the machine on purpose.
    fileParallelism: false,
  },
})
