import { useState } from "preact/hooks"
import { api } from "./api.ts"
import { amount, signed, unitName } from "./format.ts"
import { type CompareSlot, compareStale, type Unit } from "./state.ts"
import type { CompareReply, CompareRequest } from "./types.ts"

export type { CompareSlot }

/** The compare request for the slots, each judged by its own rules. */
export const compareRequest = (slots: readonly CompareSlot[]): CompareRequest => ({
  items: slots.map((s) => ({
    label: s.label,
    scenario: s.scenario,
    ...(s.rules ? { rules: s.rules } : {}),
    package: [...s.package],
  })),
})

interface Props {
  readonly current: CompareSlot
  readonly slotA: CompareSlot | null
  readonly onSaveA: () => void
  readonly unit: Unit
  readonly poolLevel: number
  readonly tableLevel: number
}

/** Two packages side by side, as the service compares them (effect, pool use, what differs). */
export const ComparePanel = ({ current, slotA, onSaveA, unit, poolLevel, tableLevel }: Props) => {
  const [reply, setReply] = useState<CompareReply | null>(null)
  const [error, setError] = useState<string | null>(null)
  // The slots the reply judged: once the page's differ (other rules, another package), it is not shown.
  const [judged, setJudged] = useState<readonly [CompareSlot, CompareSlot] | null>(null)
  const compare = async () => {
    if (!slotA) return
    setError(null)
    try {
      setReply(await api.compare(compareRequest([slotA, current])))
      setJudged([slotA, current])
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }
  const stale = judged && slotA ? compareStale(judged, [slotA, current]) : null
  const shown = stale === null ? reply : null
  const c = shown?.comparison
  return (
    <section class="card compare" aria-labelledby="compare-h">
      <h2 id="compare-h">Sammenlign</h2>
      <div class="controls no-print">
        <button type="button" onClick={onSaveA}>
          Gem som pakke A
        </button>
        <button type="button" disabled={!slotA} onClick={compare}>
          Sammenlign A med nuværende
        </button>
      </div>
      {stale !== null && (
        <p class="stale" aria-live="polite">
          Sammenligningen er fjernet, fordi {stale}, siden den blev regnet. Tryk "Sammenlign A med nuværende"
          for at sammenligne igen.
        </p>
      )}
      {slotA && !shown && (
        <p class="muted">
          Pakke A: {slotA.package.map((e) => e.proposal).join(", ") || "tom"}, efter reglerne i "
          {slotA.rulesTitle}".
        </p>
      )}
      {error && <p class="bad">{error}</p>}
      {shown && c && judged && (
        <>
          <table class="side-by-side">
            <thead>
              <tr>
                <th scope="col" />
                {c.labels.map((l) => (
                  <th key={l} scope="col" class="num">
                    {l}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Besparelse pr. år</th>
                {c.objective.map((x, i) => (
                  <td key={c.labels[i]} class="num">
                    {amount(x, unit)}
                    {i > 0 && <small> ({signed(c.objectiveDelta[i] ?? 0, unit)})</small>}
                  </td>
                ))}
              </tr>
              {(["service", "anlaeg"] as const).map((area) => (
                <tr key={area}>
                  <th scope="row">{area === "service" ? "Service" : "Anlæg"}</th>
                  {c.pool.map((x, i) => (
                    <td key={c.labels[i]} class="num">
                      {amount(x[area], unit)}
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th scope="row">Regler</th>
                {shown.items.map((it) => (
                  <td key={it.label} class="num">
                    {it.feasible === false ? `bryder ${it.broken?.length ?? ""}` : "overholdt"}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <p class="muted">
            {unitName(unit)}; besparelse i {tableLevel} p/l, puljer i {poolLevel} p/l. Reglerne:{" "}
            {judged.map((s) => `${s.label} efter "${s.rulesTitle}"`).join(", ")}.
          </p>
          <table class="side-by-side">
            <caption>Forskelle</caption>
            <tbody>
              {c.differences.map((d) => (
                <tr key={d.proposal}>
                  <th scope="row">{d.proposal}</th>
                  {d.variants.map((v, i) => (
                    <td key={c.labels[i]}>{v === null ? "–" : v === "base" ? "med" : v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
