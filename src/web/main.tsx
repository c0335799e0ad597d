import { render } from "preact"
import { App } from "./App.tsx"
import { api, loadProposals } from "./api.ts"
import { decodeState } from "./state.ts"
import "./style.css"

/** Load the proposals and scenarios, read the package from the address, and show the page. */
const start = async () => {
  const root = document.getElementById("app")
  if (!root) return
  try {
    const [proposals, scenarios, round] = await Promise.all([loadProposals(), api.scenarios(), api.round()])
    const { state, problems } = decodeState(location.hash, {
      scenarios: scenarios.scenarios.map((s) => s.id),
      defaultScenario: scenarios.defaultScenario,
      variants: new Map(proposals.map((p) => [p.summary.id, p.summary.variants.map((v) => v.id)])),
    })
    if (problems.length) console.warn(`Linket nævner noget, der ikke findes: ${problems.join("; ")}`)
    root.textContent = ""
    render(<App data={{ proposals, scenarios, round }} initial={state} />, root)
    // For the browser test's timings: the page with its data on screen.
    performance.mark("pulje:ready")
  } catch (e) {
    root.textContent = `Siden kunne ikke hente data fra tjenesten: ${e instanceof Error ? e.message : String(e)}`
  }
}

void start()
