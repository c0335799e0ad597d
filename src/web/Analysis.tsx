import { useEffect, useRef, useState } from "preact/hooks"
import { analysisDa, mioDa, savingDa } from "../model/wording.ts"
import { api } from "./api.ts"
import { amount, inUnit, signed, unitName } from "./format.ts"
import { StepChart } from "./StepChart.tsx"
import type { Unit } from "./state.ts"
import type { AlternativesReply, Entry, ExplainReply, ScenarioSolveRequest } from "./types.ts"

/** The negotiator's locks and exclusions, sent as a what-if with every analysis. */
export type WhatIf = NonNullable<ScenarioSolveRequest["rules"]>

interface Common {
  readonly scenario: string
  readonly rules: WhatIf
  readonly unit: Unit
  readonly poolLevel: number
  readonly tableLevel: number
}

/** An answer of the service for `key`, loaded once per key while `key` is not null. */
const useRemote = <T,>(key: string | null, load: () => Promise<T>) => {
  const [state, setState] = useState<{ key: string; data?: T; error?: string } | null>(null)
  useEffect(() => {
    if (key === null) return
    let live = true
    setState({ key })
    load().then(
      (data) => live && setState({ key, data }),
      (e) => live && setState({ key, error: e instanceof Error ? e.message : String(e) }),
    )
    return () => {
      live = false
    }
  }, [key])
  return state?.key === key ? state : null
}

const names = (list: readonly Entry[]) =>
  list.length
    ? list.map((c) => (c.variant === "base" ? c.proposal : `${c.proposal} (${c.variant})`)).join(", ")
    : "ingen"

const Pending = ({ error }: { error: string | undefined }) =>
  error ? <p class="bad">Analysen fejlede: {error}</p> : <p class="muted">Beregner …</p>

// ---------------------------------------------------------------- explanation

type OptionExplanation = ExplainReply["result"]["options"][number]

/** Why one proposal is in or out of the optimum, what forcing it would cost, and what would change that. */
export const ExplainPanel = ({ id, onClose, ...c }: Common & { id: string; onClose: () => void }) => {
  const key = `${c.scenario}|${JSON.stringify(c.rules)}|${id}`
  const r = useRemote(key, () => api.explain(c.scenario, { rules: c.rules, proposals: [id] }))
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [id])
  const result = r?.data?.result
  return (
    <section class="card explain" aria-labelledby="explain-h">
      <div class="card-head">
        <h2 id="explain-h" tabIndex={-1} ref={heading}>
          Forklaring: {id}
        </h2>
        <button type="button" class="no-print" onClick={onClose} aria-label="Luk forklaringen">
          ✕
        </button>
      </div>
      {!result ? (
        <Pending error={r?.error} />
      ) : (
        result.options.map((o) => <OptionView key={o.variant} o={o} pl={result.tablePriceLevel} {...c} />)
      )}
    </section>
  )
}

const OptionView = ({ o, pl, unit }: Common & { o: OptionExplanation; pl: number }) => {
  const u = (text: string) => inUnit(text, unit)
  const figures: [string, string][] = []
  if (o.priceOut != null) figures.push(["Pris for at tage det ud", `${u(amount(o.priceOut, unit))} om året`])
  if (o.priceIn != null) figures.push(["Pris for at tage det med", `${u(amount(o.priceIn, unit))} om året`])
  if (o.savingThreshold != null)
    figures.push(["Besparelse der mangler for at komme med", `${u(signed(o.savingThreshold, unit))} om året`])
  for (const t of o.costThresholds ?? [])
    figures.push([
      `${t.area === "service" ? "Service" : "Anlæg"}-udgift skal ned med`,
      t.reductionPool === null ? "kommer ikke med selv gratis" : u(amount(t.reductionPool, unit)),
    ])
  if (o.exempted?.priceIn != null)
    figures.push([
      "Pris for at tage det med, hvis undtaget",
      `${u(amount(o.exempted.priceIn, unit))} om året`,
    ])
  const instead = o.withoutIt ?? o.withIt
  return (
    <div class="option" data-status={o.status}>
      {/* The sentence in the unit the page shows (the API's text says 1.000 kr.). */}
      <p>{analysisDa.option(o, pl, unit === "mio" ? mioDa : savingDa)}</p>
      {figures.length > 0 && (
        <table class="side-by-side">
          <tbody>
            {figures.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td class="num">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {instead && (
        <p class="muted">
          {o.withoutIt ? "Uden det" : "Med det"}: ind {names(instead.entered)}; ud {names(instead.left)}.
        </p>
      )}
    </div>
  )
}

// ---------------------------------------------------------------- frontier

/** "Hvad køber en mio. mere": the optimum as a step function of one pool, with the package marked. */
export const FrontierPanel = (
  c: Common & { current: { saving: number; pool: Record<"service" | "anlaeg", number> } },
) => {
  const [open, setOpen] = useState(false)
  const [pool, setPool] = useState<"service" | "anlaeg">("service")
  const key = open ? `${c.scenario}|${JSON.stringify(c.rules)}|${pool}` : null
  const r = useRemote(key, () => api.frontier(c.scenario, { rules: c.rules, pool }))
  const f = r?.data?.result
  const m = f?.marginal
  return (
    <details class="card" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>Hvad køber en mio. mere?</h2>
      </summary>
      <label>
        Pulje{" "}
        <select value={pool} onChange={(e) => setPool(e.currentTarget.value as "service" | "anlaeg")}>
          <option value="service">Service</option>
          <option value="anlaeg">Anlæg</option>
        </select>
      </label>
      {!f ? (
        open && <Pending error={r?.error} />
      ) : (
        <>
          <StepChart
            steps={f.steps}
            to={f.to}
            scenario={m && m.objective !== null ? { pool: m.pool, objective: m.objective } : null}
            current={{ pool: c.current.pool[pool], objective: c.current.saving }}
            unit={c.unit}
            poolLevel={c.poolLevel}
            tableLevel={c.tableLevel}
            label={`Den bedste årlige besparelse for hver størrelse af ${pool === "service" ? "service" : "anlægs"}puljen: ${f.steps.length} trin`}
          />
          {m && (
            <ul class="marginal" data-frontier-steps={f.steps.length}>
              {m.next.map((n) => (
                <li key={n.extra}>
                  <b>{inUnit(`+${amount(n.extra, c.unit)}`, c.unit)}</b> i puljen giver{" "}
                  {signed(n.gain, c.unit)} om året
                  {n.entered.length > 0 && `; ind: ${names(n.entered)}`}
                  {n.left.length > 0 && `; ud: ${names(n.left)}`}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </details>
  )
}

// ---------------------------------------------------------------- alternatives

type Ranked = AlternativesReply["result"]["best"][number]

/** The best packages after the optimum, diverse alternatives, and which proposals are in all near-optimal ones. */
export const AlternativesPanel = (
  c: Common & { onUse: (pkg: readonly Entry[], objective: number) => void },
) => {
  const [open, setOpen] = useState(false)
  const key = open ? `${c.scenario}|${JSON.stringify(c.rules)}` : null
  const r = useRemote(key, () => api.alternatives(c.scenario, { rules: c.rules, k: 5 }))
  const a = r?.data?.result
  const item = (p: Ranked, i: number) => (
    <li key={`${p.rank}-${i}`}>
      <b>{inUnit(amount(p.package.objective, c.unit), c.unit)}</b>{" "}
      {p.behind === 0 ? "(optimum)" : `(${signed(-p.behind, c.unit)})`}
      {p.behind > 0 && `: ind ${names(p.entered)}; ud ${names(p.left)}`}{" "}
      <button type="button" class="no-print" onClick={() => c.onUse(p.package.choices, p.package.objective)}>
        Brug
      </button>
    </li>
  )
  const byClass = (cls: "core" | "border" | "exterior") =>
    a?.core.entries
      .filter((e) => e.class === cls)
      .map((e) => e.proposal)
      .join(", ") || "ingen"
  return (
    <details class="card" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>Alternativer</h2>
      </summary>
      {!a ? (
        open && <Pending error={r?.error} />
      ) : (
        <>
          <h3>De bedste pakker</h3>
          <ol class="alternatives">{a.best.map(item)}</ol>
          <h3>Forskellige pakker tæt på optimum</h3>
          <ol class="alternatives">{a.diverse.map(item)}</ol>
          <p>
            Inden for {amount(a.core.share * 100, "tkr")} % af optimum ({a.core.packages} pakker):{" "}
            <b>altid med</b> {byClass("core")}; <b>nogle gange</b> {byClass("border")}.
          </p>
        </>
      )}
    </details>
  )
}

// ---------------------------------------------------------------- robustness

/** Draws of the uncertain savings: enough for stable shares to a percent, quick on the real data. */
const DRAWS = 2000

/** How the optimum fares when the savings turn out other than estimated (Monte Carlo). */
export const RobustnessPanel = (c: Common) => {
  const [open, setOpen] = useState(false)
  const key = open ? `${c.scenario}|${JSON.stringify(c.rules)}` : null
  const r = useRemote(key, () => api.robustness(c.scenario, { rules: c.rules, draws: DRAWS }))
  const x = r?.data?.result
  const u = unitName(c.unit)
  return (
    <details class="card" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>Hvor sikkert er optimum?</h2>
      </summary>
      {!x ? (
        open && <Pending error={r?.error} />
      ) : (
        <div class="robustness">
          <p>
            {analysisDa.robustness(
              { ...x, ...x.realised, objective: x.nominal.objective },
              x.tablePriceLevel,
              c.unit === "mio",
            )}
          </p>
          <table class="side-by-side">
            <thead>
              <tr>
                <th scope="col">
                  Årlig besparelse ({u}, {c.tableLevel} p/l)
                </th>
                <th scope="col" class="num">
                  P10
                </th>
                <th scope="col" class="num">
                  P50
                </th>
                <th scope="col" class="num">
                  P90
                </th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ["Optimum, som det falder ud", x.realised],
                  ["Bedste pakke med facit", x.reoptimised],
                ] as const
              ).map(([label, s]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td class="num">{amount(s.p10, c.unit)}</td>
                  <td class="num">{amount(s.p50, c.unit)}</td>
                  <td class="num">{amount(s.p90, c.unit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Hvor ofte hvert forslag er i den bedste pakke</h3>
          <ul class="frequencies">
            {[...x.frequencies]
              .filter((f) => f.share > 0)
              .sort((a, b) => b.share - a.share)
              .map((f) => (
                <li key={f.proposal}>
                  <span>
                    {f.proposal}
                    {f.nominal && " ★"}
                  </span>
                  <span class="freq-bar" style={{ width: `${f.share * 100}%` }} />
                  <span class="num">{Math.round(f.share * 100)} %</span>
                </li>
              ))}
          </ul>
          <p class="muted">
            ★ i optimum. {amount(x.draws, "tkr")} trækninger, frø {x.seed}.
          </p>
        </div>
      )}
    </details>
  )
}
