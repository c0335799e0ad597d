import { useEffect, useRef, useState } from "preact/hooks"
import { savedInOtherRoundDa } from "../model/wording.ts"
import { ApiFailure, api } from "./api.ts"
import { changesSentence, ruleChanges, savedAtText, versionOptimumText } from "./ruleText.ts"
import { newestFirst, restoreRequest, type Unit, versionBody } from "./state.ts"
import type { RulesChange, SavedScenarioList, Scenario, ScenarioVersion, SolveOutcome } from "./types.ts"

/**
 * A user scenario as the page holds it once chosen: the scenario it is based on, its rule changes,
 * the rules they give (as the service merged them) and its optimum, solved now.
 */
export interface UserScenario {
  readonly id: string
  readonly title: string
  /** The version opened: a save over it is refused (409) if someone saved another in between. */
  readonly version: number
  readonly basedOn: string
  readonly rules: RulesChange
  readonly merged: Scenario["rules"]
  readonly optimum: SolveOutcome
  /** The round its latest version was saved in (null: saved before the round was kept). */
  readonly savedIn: string | null
}

/** The value a user scenario has in the scenario picker (the round's scenarios have their own ids). */
export const PICK_PREFIX = "gemt:"

/** Open a user scenario: its rule changes and its optimum, in parallel. */
export const openUserScenario = async (id: string): Promise<UserScenario> => {
  const [saved, solved] = await Promise.all([api.savedScenario(id), api.solveSavedScenario(id)])
  return {
    id,
    title: saved.name,
    version: saved.version,
    basedOn: solved.scenario.id,
    rules: (saved.body.rules ?? {}) as RulesChange,
    merged: solved.rules,
    optimum: solved.result,
    savedIn: versionBody(saved).round,
  }
}

/** Save the what-if over a user scenario (a new version, under `title`), and open it again. */
export const updateUserScenario = async (
  u: UserScenario,
  title: string,
  rules: RulesChange,
): Promise<UserScenario> => {
  await api.updateScenario(u.id, { title, basedOn: u.basedOn, rules, baseVersion: u.version })
  return openUserScenario(u.id)
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

const failure = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** Why a save over a user scenario failed: refused (409) because someone saved a newer version, or else. */
const saveFailure = (err: unknown, title: string, again: string) =>
  err instanceof ApiFailure && err.status === 409
    ? `"${title}" er gemt i en nyere version, efter at siden åbnede det; vælg det igen under Scenarie, og ${again} så.`
    : `Kunne ikke gemme over "${title}": ${failure(err)}`

/** How amounts are shown: the unit, and the round's price levels (a scenario may name its own pool level). */
export interface Shown {
  readonly unit: Unit
  readonly poolLevel: number
  readonly tableLevel: number
}

interface Props {
  readonly basedOn: string
  readonly rules: RulesChange | undefined
  readonly onSaved: () => Promise<unknown>
  /** The user scenario chosen, if one is: it can be saved over or deleted here. */
  readonly chosen: UserScenario | null
  /** The chosen user scenario as saved over (a new version). */
  readonly onUpdated: (u: UserScenario) => void
  /** The chosen user scenario, deleted on the service. */
  readonly onDeleted: (id: string) => void
  readonly shown: Shown
  /** The round the page shows (its id). */
  readonly round: string
}

/**
 * "Gem dette hvad-nu-hvis": the current what-if (base scenario and rule changes) saved under a name,
 * and, when a user scenario is chosen, saved over it or the scenario deleted.
 */
export const ScenarioSaveCard = ({
  basedOn,
  rules,
  onSaved,
  chosen,
  onUpdated,
  onDeleted,
  shown,
  round,
}: Props) => {
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
            setNote(`Kunne ikke gemme: ${failure(err)}`)
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
      {chosen && (
        <ChosenScenario
          key={`${chosen.id}:${chosen.version}`}
          chosen={chosen}
          rules={rules}
          onNote={setNote}
          onUpdated={onUpdated}
          onDeleted={onDeleted}
          shown={shown}
          round={round}
        />
      )}
      {note && <p aria-live="polite">{note}</p>}
    </section>
  )
}

/** The chosen user scenario: save the what-if over it (renamed, if wished), or delete it after a confirmation. */
const ChosenScenario = ({
  chosen,
  rules,
  onNote,
  onUpdated,
  onDeleted,
  shown,
  round,
}: Pick<Props, "rules" | "onUpdated" | "onDeleted" | "shown" | "round"> & {
  chosen: UserScenario
  onNote: (note: string) => void
}) => {
  const [title, setTitle] = useState(chosen.title)
  const [confirming, setConfirming] = useState(false)
  const elsewhere = savedInOtherRoundDa(chosen.savedIn ?? undefined, round)
  const keep = useRef<HTMLButtonElement>(null)
  // The safe choice has the focus when the question is asked.
  useEffect(() => {
    if (confirming) keep.current?.focus()
  }, [confirming])
  return (
    <div class="user-scenario">
      <h3>
        Det gemte scenarie "{chosen.title}" <small>(version {chosen.version})</small>
      </h3>
      {elsewhere && <p class="round-note">{elsewhere}</p>}
      <form
        class="controls"
        onSubmit={async (e) => {
          e.preventDefault()
          if (!rules) return
          try {
            onUpdated(await updateUserScenario(chosen, title, rules))
            onNote(`Hvad-nu-hvis gemt over "${title}".`)
          } catch (err) {
            onNote(saveFailure(err, chosen.title, "gem"))
          }
        }}
      >
        <label>
          Omdøb til{" "}
          <input value={title} required maxLength={200} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={!rules}>
          Gem over det gemte scenarie
        </button>
        <button type="button" onClick={() => setConfirming(true)} disabled={confirming}>
          Slet det gemte scenarie …
        </button>
      </form>
      {confirming && (
        <p class="confirm" aria-live="polite">
          Slet "{chosen.title}"? Det forsvinder fra listen over gemte scenarier, og siden viser scenariet det
          bygger på; dets versioner gemmes.{" "}
          <button
            type="button"
            class="danger"
            onClick={async () => {
              try {
                await api.deleteScenario(chosen.id)
                onDeleted(chosen.id)
                onNote(`Scenariet "${chosen.title}" er slettet.`)
              } catch (err) {
                setConfirming(false)
                onNote(`Kunne ikke slette "${chosen.title}": ${failure(err)}`)
              }
            }}
          >
            Ja, slet
          </button>{" "}
          <button type="button" ref={keep} onClick={() => setConfirming(false)}>
            Fortryd
          </button>
        </p>
      )}
      <Versions chosen={chosen} onNote={onNote} onUpdated={onUpdated} shown={shown} />
    </div>
  )
}

/** One version as "Vis" shows it: its base scenario, the rules it gives, and its optimum now under them (shown when it holds no figures of its own). */
interface VersionShown {
  readonly version: ScenarioVersion
  readonly base: Scenario
  readonly rules: Scenario["rules"]
  readonly optimum: SolveOutcome
}

/** The round a version was saved in, under its title (nothing for one that kept none). */
const RoundOf = ({ version }: { version: ScenarioVersion }) => {
  const { round } = versionBody(version)
  return round === null ? null : <small class="round">runde {round}</small>
}

/** The chosen user scenario's versions: each can be looked at ("Vis", read-only) or restored ("Gendan"). */
const Versions = ({
  chosen,
  onNote,
  onUpdated,
  shown,
}: Pick<Props, "onUpdated" | "shown"> & { chosen: UserScenario; onNote: (note: string) => void }) => {
  const [versions, setVersions] = useState<readonly ScenarioVersion[] | null>(null)
  const [looking, setLooking] = useState<VersionShown | null>(null)
  useEffect(() => {
    api.scenarioVersions(chosen.id).then(
      (r) => setVersions(newestFirst(r.versions)),
      (err) => onNote(`Versionerne kunne ikke hentes: ${failure(err)}`),
    )
  }, [chosen.id])
  const look = async (v: ScenarioVersion) => {
    const body = versionBody(v)
    try {
      const [base, solved] = await Promise.all([
        api.scenario(body.basedOn),
        api.solve(body.basedOn, { rules: body.rules }),
      ])
      setLooking({ version: v, base, rules: solved.rules, optimum: solved.result })
    } catch (err) {
      onNote(`Version ${v.version} kunne ikke vises: ${failure(err)}`)
    }
  }
  const restore = async (v: ScenarioVersion) => {
    try {
      await api.updateScenario(chosen.id, restoreRequest(v, chosen.title, chosen.version))
      const u = await openUserScenario(chosen.id)
      onUpdated(u)
      onNote(`Version ${v.version}s regler er gemt som version ${u.version} af "${u.title}".`)
    } catch (err) {
      onNote(saveFailure(err, chosen.title, "gendan"))
    }
  }
  if (versions === null) return null
  return (
    <div class="versions">
      <h4>Versioner</h4>
      <table>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <th scope="row" class="num">
                {v.version}
              </th>
              <td>{savedAtText(v.savedAt)}</td>
              <td class="title">
                {v.name}
                {v.version === chosen.version && <small> (åben)</small>}
                <RoundOf version={v} />
              </td>
              <td class="no-print">
                <button type="button" onClick={() => void look(v)} aria-label={`Vis version ${v.version}`}>
                  Vis
                </button>{" "}
                <button
                  type="button"
                  disabled={v.version === chosen.version}
                  onClick={() => void restore(v)}
                  aria-label={`Gendan version ${v.version}`}
                >
                  Gendan
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {looking && (
        <div class="version-view" aria-live="polite">
          <p>
            <strong>
              Version {looking.version.version}, "{looking.version.name}"
            </strong>{" "}
            (gemt {savedAtText(looking.version.savedAt)}; kun til visning).{" "}
            {changesSentence(
              ruleChanges(
                looking.base.rules,
                looking.rules,
                shown.unit,
                looking.rules.poolPriceLevel ?? shown.poolLevel,
                shown.tableLevel,
              ),
            )}{" "}
            – ændringer i forhold til "{looking.base.title}".
          </p>
          <p class="version-figures">
            {versionOptimumText(looking.version, looking.optimum, shown.unit, shown.tableLevel)}.
          </p>
          <button type="button" onClick={() => setLooking(null)}>
            Luk
          </button>
        </div>
      )}
    </div>
  )
}
