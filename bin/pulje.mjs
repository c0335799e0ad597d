#!/usr/bin/env node
// The `pulje` command: runs the TypeScript sources through tsx's loader, in this process.
import { register } from "tsx/esm/api"

register()
const { main } = await import("../src/cli/main.ts")
await main()
