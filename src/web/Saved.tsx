import { useEffect, useState } from "preact/hooks"
import { api } from "./api.ts"
import type { Entry, SavedPackageList } from "./types.ts"

interface Props {
  readonly scenario: string
  readonly package: readonly Entry[]
  /** Open a saved package: its scenario and entries. */
  readonly onOpen: (scenario: string, pkg: readonly Entry[]) => void
}

/** Packages saved on the server (when the service has a store): save the current one, reopen one. */
export const SavedPanel = ({ scenario, package: pkg, onOpen }: Props) => {
  const [list, setList] = useState<SavedPackageList | null>(null)
  const [name, setName] = useState("")
  const [note, setNote] = useState<string | null>(null)
  const refresh = () => api.packages().then(setList, () => setList(null))
  useEffect(() => {
    void refresh()
  }, [])
  if (list === null) return null
  return (
    <section class="card saved" aria-labelledby="saved-h">
      <h2 id="saved-h">Gemte pakker</h2>
      <form
        class="controls no-print"
        onSubmit={async (e) => {
          e.preventDefault()
          try {
            const saved = await api.savePackage({ name, scenario, package: [...pkg] })
            setNote(`Gemt som "${saved.name}" (version ${saved.version}).`)
            setName("")
            await refresh()
          } catch (err) {
            setNote(`Kunne ikke gemme: ${err instanceof Error ? err.message : String(err)}`)
          }
        }}
      >
        <label>
          Navn <input value={name} required maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit">Gem på serveren</button>
      </form>
      {note && <p aria-live="polite">{note}</p>}
      <ul class="alternatives">
        {list.packages.map((p) => (
          <li key={p.id}>
            <b>{p.name}</b> <small>(v{p.version})</small>{" "}
            <button
              type="button"
              class="no-print"
              onClick={async () => {
                const full = await api.savedPackage(p.id)
                onOpen(full.body.scenario ?? scenario, full.body.package)
              }}
            >
              Åbn
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
