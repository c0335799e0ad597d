#!/usr/bin/env node
// The `pulje` command: the compiled command line in dist/ (npm ci builds it; npm run build rebuilds it).
import { main } from "../dist/cli/main.js"

await main()
