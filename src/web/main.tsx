import { render } from "preact"
import { App } from "./App.tsx"
import { ApiFailure, api, apiKey, loadProposals } from "./api.ts"
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
    if (e instanceof ApiFailure && e.status === 401) askForKey(root)
    else
      root.textContent = `Siden kunne ikke hente data fra tjenesten: ${e instanceof Error ? e.message : String(e)}`
  }
}

/** The service has API keys: ask for one, keep it for this tab, and start again. */
const askForKey = (root: HTMLElement) => {
  render(
    <form
      class="key-form"
      onSubmit={(e) => {
        e.preventDefault()
        const input = e.currentTarget.elements.namedItem("key")
        if (input instanceof HTMLInputElement && input.value.trim()) {
          apiKey.set(input.value.trim())
          render(null, root)
          root.textContent = "Henter forslagene …"
          void start()
        }
      }}
    >
      <h1>Tjenesten kræver en API-nøgle</h1>
      <label>
        API-nøgle <input name="key" type="password" autoComplete="off" required />
      </label>{" "}
      <button type="submit" class="primary">
        Fortsæt
      </button>
      {apiKey.get() && <p class="bad">Nøglen blev ikke godtaget.</p>}
    </form>,
    root,
  )
}

void start()
