import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks"
import { AlternativesPanel, ExplainPanel, FrontierPanel, RobustnessPanel } from "./Analysis.tsx"
import { ApiFailure, api, type Download } from "./api.ts"
import { ComparePanel, type CompareSlot } from "./Compare.tsx"
import { unitName } from "./format.ts"
import { meters } from "./meters.ts"
import { ProposalTable } from "./Proposals.tsx"
import { changesSentence, ruleChanges, rulesSummary } from "./ruleText.ts"
import { SavedPanel } from "./Saved.tsx"
import { type ActionResult, SidePanel } from "./Side.tsx"
import {
  decodeState,
  encodeState,
  entries,
  forgetSaved,
  type Known,
  type PageState,
  packageChange,
  setExclude,
  setLock,
  setVariant,
  toggle,
  withPackage,
} from "./state.ts"
import type {
  EvaluateReply,
  PageProposal,
  Round,
  Scenario,
  ScenarioListResponse,
  SolveOutcome,
} from "./types.ts"
import {
  openUserScenario,
  PICK_PREFIX,
  ScenarioSaveCard,
  type UserScenario,
  useUserScenarios,
} from "./UserScenarios.tsx"

/** What the page loads once: the proposals with their figures, the scenarios, and the round's prices. */
export interface Loaded {
  readonly proposals: readonly PageProposal[]
  readonly scenarios: ScenarioListResponse
  readonly round: Round
}

/** The rule check of one package, as the service answered it, and which package it was for. */
export interface Check {
  readonly key: string
  readonly reply: EvaluateReply | null
  readonly error: string | null
}

const message = (e: unknown) => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e))

/** The rules patch that carries the negotiator's locks and exclusions on top of the scenario's own. */
const patchFor = (s: PageState, scenario: Scenario) => {
  const own = new Set(scenario.rules.locks.map((l) => l.proposal))
  return {
    locks: [
      ...scenario.rules.locks,
      ...s.locks.filter((id) => !own.has(id)).map((id) => ({ proposal: id, variant: s.picks[id] ?? "base" })),
    ],
    exclude: [...new Set([...scenario.rules.exclude, ...s.exclude])],
  }
}

/** The negotiation page: proposals on the left, the pools and the rule check on the right. */
export const App = ({ data, initial }: { data: Loaded; initial: PageState }) => {
  const [state, setState] = useState(initial)
  const [scenarios, setScenarios] = useState<Record<string, Scenario>>({})
  const [optima, setOptima] = useState<Record<string, SolveOutcome>>({})
  const [check, setCheck] = useState<Check | null>(null)
  const [action, setAction] = useState<ActionResult | null>(null)
  const [busy, setBusy] = useState(false)
  const [slotA, setSlotA] = useState<CompareSlot | null>(null)
  const [explainFor, setExplainFor] = useState<string | null>(null)
  // The user scenario chosen (state.saved), once loaded: its rule changes are the what-if under the base scenario.
  const [user, setUser] = useState<UserScenario | null>(null)
  const userScenarios = useUserScenarios()

  const byId = useMemo(() => new Map(data.proposals.map((p) => [p.summary.id, p])), [data.proposals])
  const named = scenarios[state.scenario]
  // The rules that apply: the named scenario's, or the chosen user scenario's merged over them.
  const current = user !== null && user.id === state.saved ? user : null
  const scenario = useMemo(
    () => (named && current ? { ...named, title: current.title, rules: current.merged } : named),
    [named, current],
  )
  const scenarioTitle =
    current?.title ?? data.scenarios.scenarios.find((s) => s.id === state.scenario)?.title ?? state.scenario
  const pkg = useMemo(() => entries(state), [state])
  const pkgKey = `${state.scenario}|${state.saved ?? ""}|${current?.id ?? ""}|${pkg.map((e) => `${e.proposal}:${e.variant}`).join(",")}`
  const userRules = current ? { rules: current.rules } : {}

  // The scenario's rules and optimum, each asked once per scenario (not again while the first answer is
  // on its way). Under a user scenario the optimum shown is its own (solved when it is opened): the base
  // scenario's is asked only once it is shown itself.
  const asked = useRef({ rules: new Set<string>(), optimum: new Set<string>() })
  useEffect(() => {
    const id = state.scenario
    const { rules, optimum } = asked.current
    if (!rules.has(id)) {
      rules.add(id)
      api.scenario(id).then((s) => setScenarios((all) => ({ ...all, [id]: s })), console.error)
    }
    if (state.saved === undefined && !optimum.has(id)) {
      optimum.add(id)
      api.solve(id, {}).then((r) => setOptima((all) => ({ ...all, [id]: r.result })), console.error)
    }
  }, [state.scenario, state.saved])

  // A user scenario named by the address (a link, a reload) is loaded; its package is the address's.
  useEffect(() => {
    const id = state.saved
    if (id === undefined || user?.id === id) return
    let live = true
    openUserScenario(id).then(
      (u) => live && setUser(u),
      (e) => {
        if (!live) return
        const error =
          e instanceof ApiFailure && e.status === 404
            ? "Det gemte scenarie findes ikke (længere); siden viser scenariet, det byggede på."
            : `Det gemte scenarie kunne ikke hentes: ${message(e)}`
        setAction({ kind: "Scenarie", error })
        setState((s) => ({ ...s, saved: undefined }))
      },
    )
    return () => {
      live = false
    }
  }, [state.saved])

  // The share link follows the state.
  useEffect(() => {
    const hash = encodeState(state)
    if (location.hash !== hash) history.replaceState(null, "", hash)
  }, [state])
  useEffect(() => {
    const known: Known = {
      scenarios: data.scenarios.scenarios.map((s) => s.id),
      defaultScenario: data.scenarios.defaultScenario,
      variants: new Map(data.proposals.map((p) => [p.summary.id, p.summary.variants.map((v) => v.id)])),
    }
    const onHash = () => setState(decodeState(location.hash, known).state)
    addEventListener("hashchange", onHash)
    return () => removeEventListener("hashchange", onHash)
  }, [data])

  // The rule check: asked of the service shortly after the last click; a newer click cancels it.
  useEffect(() => {
    // A user scenario named by the address is checked under its own rules once they are loaded.
    if (state.saved !== undefined && current === null) return
    const ctl = new AbortController()
    const timer = setTimeout(() => {
      api
        .evaluate({ scenario: state.scenario, ...userRules, package: pkg }, ctl.signal)
        .then((reply) => setCheck({ key: pkgKey, reply, error: null }))
        .catch((e) => {
          if (!ctl.signal.aborted) setCheck({ key: pkgKey, reply: null, error: message(e) })
        })
    }, 120)
    return () => {
      clearTimeout(timer)
      ctl.abort()
    }
  }, [pkgKey])

  const m = useMemo(
    () =>
      scenario &&
      meters(
        byId,
        pkg,
        scenario.rules.limits,
        scenario.rules.poolPriceLevel ?? data.round.poolPriceLevel,
        data.round.priceIndex,
      ),
    [byId, pkg, scenario, data.round],
  )

  // The what-if the page sends: the user scenario's changes, then the page's own locks and exclusions.
  const whatIf = scenario ? { ...current?.rules, ...patchFor(state, scenario) } : undefined

  const run = useCallback(
    async (kind: "Optimér" | "Fyld op") => {
      if (!whatIf) return
      setBusy(true)
      const before = state
      try {
        const rules = whatIf
        const result =
          kind === "Optimér"
            ? (await api.solve(before.scenario, { rules })).result
            : (await api.evaluate({ scenario: before.scenario, rules, package: entries(before) })).completion
        if (result.status === "infeasible" || result.status === "timeout") {
          const why =
            result.status === "infeasible"
              ? result.conflict.map((c) => c.text).join("; ")
              : "tidsgrænsen blev nået"
          setAction({ kind, error: `Ingen pakke opfylder reglerne: ${why}` })
          return
        }
        const after = withPackage(
          before,
          result.package.chosen.map((c) => ({ proposal: c.proposal, variant: c.variant })),
        )
        setState(after)
        setAction({ kind, change: packageChange(before, after), objective: result.objective })
      } catch (e) {
        setAction({ kind, error: message(e) })
      } finally {
        setBusy(false)
      }
    },
    [state, whatIf],
  )

  const poolLevel = scenario?.rules.poolPriceLevel ?? data.round.poolPriceLevel
  const optimum = current ? current.optimum : optima[state.scenario]
  const tableLevel = data.round.tablePriceLevel
  const pickScenario = async (value: string) => {
    if (!value.startsWith(PICK_PREFIX)) {
      setState({ ...state, scenario: value, saved: undefined })
      return
    }
    try {
      const u = await openUserScenario(value.slice(PICK_PREFIX.length))
      const best = u.optimum.status === "optimal" || u.optimum.status === "feasible" ? u.optimum : null
      const chosen = best?.package.chosen.map((c) => ({ proposal: c.proposal, variant: c.variant })) ?? []
      setUser(u)
      setState(withPackage({ ...state, scenario: u.basedOn, saved: u.id, locks: [], exclude: [] }, chosen))
      setAction(null)
    } catch (e) {
      setAction({ kind: "Scenarie", error: message(e) })
    }
  }
  // What the chosen user scenario changes against its base scenario, in words.
  const changes =
    named && current
      ? changesSentence(ruleChanges(named.rules, current.merged, state.unit, poolLevel, tableLevel))
      : null
  const analysis = whatIf && {
    scenario: state.scenario,
    rules: whatIf,
    unit: state.unit,
    poolLevel,
    tableLevel,
  }
  // A package for the compare panel, judged by the rules the side panel's optimum is solved under.
  const slotOf = (label: string): CompareSlot => ({
    label,
    scenario: state.scenario,
    ...userRules,
    rulesTitle: scenarioTitle,
    package: pkg,
  })
  const used = (area: string) => m?.pools.find((p) => p.area === area)?.used ?? 0

  return (
    <div class="page">
      {/* A button, not a #link: the address's fragment holds the package. */}
      <button type="button" class="skip" onClick={() => document.getElementById("pakken")?.focus()}>
        Gå til puljerne og pakken
      </button>
      <header class="top">
        <h1>{data.round.title}</h1>
        <p class="print-only">
          {`Scenarie: ${scenarioTitle}${changes === null ? "" : ` – ${changes}`}. `}
          Beløb i {unitName(state.unit)}; puljeudgifter i {poolLevel} p/l, besparelser i {tableLevel} p/l.
          Udskrevet {new Date().toLocaleDateString("da-DK")}.
        </p>
        <div class="controls no-print">
          <label>
            Scenarie{" "}
            <select
              value={state.saved ? `${PICK_PREFIX}${state.saved}` : state.scenario}
              onChange={(e) => void pickScenario(e.currentTarget.value)}
            >
              {data.scenarios.scenarios.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
              {userScenarios.list?.scenarios.length ? (
                <optgroup label="Gemte scenarier">
                  {userScenarios.list.scenarios.map((s) => (
                    <option key={s.id} value={`${PICK_PREFIX}${s.id}`}>
                      {s.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={state.unit === "tkr"}
              onChange={(e) => setState({ ...state, unit: e.currentTarget.checked ? "tkr" : "mio" })}
            />{" "}
            Vis i 1.000 kr.
          </label>
          <button type="button" class="primary" disabled={busy || !scenario} onClick={() => run("Optimér")}>
            Optimér
          </button>
          <button type="button" disabled={busy || !scenario} onClick={() => run("Fyld op")}>
            Fyld op
          </button>
          <button
            type="button"
            disabled={busy || !pkg.length}
            onClick={() => {
              setAction(null)
              setState(withPackage({ ...state, locks: [] }, []))
            }}
          >
            Ryd pakken
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              try {
                save(await api.exportXlsx({ scenario: state.scenario, ...userRules, package: pkg }))
              } catch (e) {
                setAction({ kind: "Eksport", error: message(e) })
              }
            }}
          >
            Eksportér til Excel
          </button>
          <ShareButton />
          <button type="button" onClick={() => print()}>
            Udskriv
          </button>
        </div>
      </header>
      {scenario && (
        <p class="scenario-text no-print" title={scenario.description}>
          {scenario.title}:{" "}
          {changes !== null && named && (
            <>
              <span class="changes">{changes}</span> – ændringer i forhold til "{named.title}". Reglerne:{" "}
            </>
          )}
          {rulesSummary(scenario.rules, state.unit, poolLevel, tableLevel)}.
        </p>
      )}
      <main class="layout">
        <ProposalTable
          proposals={data.proposals}
          state={state}
          scenario={scenario}
          poolLevel={poolLevel}
          onToggle={(id, on) => setState((s) => toggle(s, id, on))}
          onVariant={(id, v) => setState((s) => setVariant(s, id, v))}
          onLock={(id, on) => setState((s) => setLock(s, id, on))}
          onExclude={(id, on) => setState((s) => setExclude(s, id, on))}
          onExplain={setExplainFor}
        />
        <aside class="side" id="pakken" tabIndex={-1} aria-label="Pakken">
          <SidePanel
            meters={m}
            unit={state.unit}
            poolLevel={poolLevel}
            count={pkg.length}
            optimum={optimum}
            check={check?.key === pkgKey ? check : null}
            action={action}
            onDrop={(ids) => setState((s) => ids.reduce((acc, id) => toggle(acc, id, false), s))}
          />
          {analysis && explainFor && (
            <ExplainPanel id={explainFor} onClose={() => setExplainFor(null)} {...analysis} />
          )}
          {analysis && (
            <FrontierPanel
              {...analysis}
              current={{ saving: m?.saving ?? 0, pool: { service: used("service"), anlaeg: used("anlaeg") } }}
            />
          )}
          {analysis && (
            <AlternativesPanel
              {...analysis}
              onUse={(chosen, objective) => {
                const after = withPackage(state, chosen)
                setAction({ kind: "Alternativ", change: packageChange(state, after), objective })
                setState(after)
              }}
            />
          )}
          {analysis && <RobustnessPanel {...analysis} />}
          <SavedPanel
            scenario={state.scenario}
            package={pkg}
            onOpen={(scenarioId, chosen) =>
              setState(withPackage({ ...state, scenario: scenarioId, saved: undefined }, chosen))
            }
          />
          {userScenarios.list && (
            <ScenarioSaveCard
              basedOn={state.scenario}
              rules={whatIf}
              onSaved={userScenarios.refresh}
              chosen={current}
              // The picker's list is asked first, so that the picker and the scenario line change together.
              // A restored version may be based on another scenario: the page follows it.
              onUpdated={(u) =>
                void userScenarios.refresh().then(() => {
                  setUser(u)
                  setState((s) => (s.scenario === u.basedOn ? s : { ...s, scenario: u.basedOn }))
                })
              }
              onDeleted={(id) =>
                void userScenarios.refresh().then(() => {
                  setUser(null)
                  setState((s) => forgetSaved(s, id))
                })
              }
              shown={{ unit: state.unit, poolLevel: data.round.poolPriceLevel, tableLevel }}
              round={data.round.id}
            />
          )}
          <ComparePanel
            current={slotOf("Nuværende")}
            slotA={slotA}
            onSaveA={() => setSlotA(slotOf("Pakke A"))}
            unit={state.unit}
            poolLevel={poolLevel}
            tableLevel={tableLevel}
          />
        </aside>
      </main>
    </div>
  )
}

/** Hands a file from the service to the browser's downloads. */
const save = ({ blob, name }: Download) => {
  const url = URL.createObjectURL(blob)
  const a = document.createElement("a")
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Copies the page's address, which holds the whole package, to the clipboard. */
const ShareButton = () => {
  const [done, setDone] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  return (
    <button
      type="button"
      aria-live="polite"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(location.href)
          setDone("Link kopieret")
        } catch {
          setDone("Kopiér adressen fra adresselinjen")
        }
        clearTimeout(timer.current)
        timer.current = setTimeout(() => setDone(null), 2500)
      }}
    >
      {done ?? "Kopiér link"}
    </button>
  )
}
