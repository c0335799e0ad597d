import { useEffect, useState } from "preact/hooks"
import { api } from "./api.ts"
import type { RulesChange, SavedScenarioList, Scenario, SolveOutcome } from "./types.ts"

/**
 * A user scenario as the page holds it once chosen: the scenario it is based on, its rule changes,
 * the rules they give (as the service merged them) and its optimum, solved now.
 */
export interface UserScenario {
  readonly id: string
  readonly title: string
  readonly basedOn: string
  readonly rules: RulesChange
  readonly merged: Scenario["rules"]
  readonly optimum: SolveOutcome
}

/** The value a user scenario has in the scenario picker (the round's scenarios have their own ids). */
export const PICK_PREFIX = "gemt:"

/** Open a user scenario: its rule changes and its optimum, in parallel. */
export const openUserScenario = async (id: string): Promise<UserScenario> => {
  const [saved, solved] = await Promise.all([api.savedScenario(id), api.solveSavedScenario(id)])
  return {
    id,
    title: saved.name,
    basedOn: solved.scenario.id,
    rules: (saved.body.rules ?? {}) as RulesChange,
    merged: solved.rules,
    optimum: solved.result,
  }
}

/** The saved user scenarios, or null when the service keeps none or the caller may not read them. */
export const useUserScenarios = () => {
  const [list, setList] = useState<SavedScenarioList | null>(null)
  const refresh = () => api.savedScenarios().then(setList, () => setList(null))
  useEffect(() => {
    void refresh()
  }, [])
  return { list, refresh }
}

interface Props {
  readonly basedOn: string
  readonly rules: RulesChange | undefined
  readonly onSaved: () => Promise<unknown>
}

/** "Gem som scenarie": the current what-if (base scenario and rule changes) saved under a name. */
export const ScenarioSaveCard = ({ basedOn, rules, onSaved }: Props) => {
  const [title, setTitle] = useState("")
  const [note, setNote] = useState<string | null>(null)
  return (
    <section class="card saved no-print" aria-labelledby="user-scenarios-h">
      <h2 id="user-scenarios-h">Gem dette hvad-nu-hvis</h2>
      <form
        class="controls"
        onSubmit={async (e) => {
          e.preventDefault()
          try {
            const saved = await api.saveScenario({ title, basedOn, ...(rules ? { rules } : {}) })
            setNote(`Gemt som scenariet "${saved.name}"; vælg det under Scenarie.`)
            setTitle("")
            await onSaved()
          } catch (err) {
            setNote(`Kunne ikke gemme: ${err instanceof Error ? err.message : String(err)}`)
          }
        }}
      >
        <label>
          Titel{" "}
          <input value={title} required maxLength={200} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={!rules}>
          Gem som scenarie
        </button>
      </form>
      {note && <p aria-live="polite">{note}</p>}
    </section>
  )
}
