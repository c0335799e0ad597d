import { amount, unitName, years } from "./format.ts"
import { breaksPayback, variantOf } from "./meters.ts"
import type { PageState } from "./state.ts"
import type { PageProposal, Scenario } from "./types.ts"

interface Props {
  readonly proposals: readonly PageProposal[]
  readonly state: PageState
  readonly scenario: Scenario | undefined
  readonly poolLevel: number
  readonly onToggle: (id: string, on: boolean) => void
  readonly onVariant: (id: string, variant: string) => void
  readonly onLock: (id: string, on: boolean) => void
  readonly onExclude: (id: string, on: boolean) => void
  /** Show why a proposal is in or out of the optimum. */
  readonly onExplain: (id: string) => void
}

/** The proposals grouped by committee (udvalg), each with its toggle, variant, lock and exclusion. */
export const ProposalTable = (props: Props) => {
  const { proposals, state, poolLevel } = props
  const groups = new Map<string, PageProposal[]>()
  for (const p of proposals) {
    const list = groups.get(p.summary.committee) ?? []
    list.push(p)
    groups.set(p.summary.committee, list)
  }
  const tableLevel = proposals[0]?.figures[0]?.tablePriceLevel ?? 2027
  const unit = unitName(state.unit)
  return (
    <section class="proposals" aria-label="Forslagene">
      <table>
        <caption class="sr-only">Forslagene efter udvalg</caption>
        <thead>
          <tr>
            <th scope="col" class="pick">
              <span class="sr-only">Med i pakken</span>
            </th>
            <th scope="col">Forslag</th>
            <th scope="col" class="num">
              Besparelse pr.&nbsp;år
              <small>
                {unit}, {tableLevel} p/l
              </small>
            </th>
            <th scope="col" class="num">
              Service
              <small>
                {unit}, {poolLevel} p/l
              </small>
            </th>
            <th scope="col" class="num">
              Anlæg
              <small>
                {unit}, {poolLevel} p/l
              </small>
            </th>
            <th scope="col" class="num">
              Tilbage&shy;betaling<small>år</small>
            </th>
            <th scope="col" class="no-print">
              Variant
            </th>
            <th scope="col" class="no-print">
              Lås
            </th>
            <th scope="col" class="no-print">
              Udeluk
            </th>
          </tr>
        </thead>
        {[...groups].map(([committee, list]) => (
          <tbody key={committee}>
            <tr class="group">
              <th colSpan={9} scope="rowgroup">
                {committee}
              </th>
            </tr>
            {list.map((p) => (
              <Row key={p.summary.id} p={p} {...props} />
            ))}
          </tbody>
        ))}
      </table>
    </section>
  )
}

/** "Fuldt forslag" for the base variant, else the table's own name ("Scenarie 2"). */
const variantName = (v: { id: string; label: string }) =>
  v.id === "base" ? "Fuldt forslag" : (v.label.replace(/^Tabel \d+\.\s*/, "").split(" – ")[0] ?? v.id)

const Row = ({
  p,
  state,
  scenario,
  onToggle,
  onVariant,
  onLock,
  onExclude,
  onExplain,
}: Props & { p: PageProposal }) => {
  const { id, title } = p.summary
  const picked = state.picks[id]
  const variant = picked ?? p.summary.variants[0]?.id ?? "base"
  const f = variantOf(p, variant)
  const summary = p.summary.variants.find((v) => v.id === variant)
  const rules = scenario?.rules
  const scenarioLock = rules?.locks.find((l) => l.proposal === id)
  const scenarioExcluded = rules?.exclude.includes(id) ?? false
  const locked = state.locks.includes(id) || scenarioLock !== undefined
  const excluded = state.exclude.includes(id) || scenarioExcluded
  const payback = f && rules ? breaksPayback(id, f, rules.payback) : false
  const basis = rules?.payback.basis ?? "total"
  return (
    <tr class={`${picked ? "on" : "off"}${excluded ? " excluded" : ""}`} data-proposal={id}>
      <td class="pick">
        <input
          type="checkbox"
          id={`pick-${id}`}
          aria-label={`${id} ${title}`}
          checked={picked !== undefined}
          onChange={(e) => onToggle(id, e.currentTarget.checked)}
        />
      </td>
      <td class="title">
        <label for={`pick-${id}`}>
          <b>{id}</b> {title}
        </label>{" "}
        <button
          type="button"
          class="why no-print"
          aria-label={`Forklar ${id}`}
          title="Hvorfor med eller ikke med?"
          onClick={() => onExplain(id)}
        >
          ?
        </button>
      </td>
      <td class="num">{f ? amount(-f.permanentEffect, state.unit) : "–"}</td>
      <td class="num">{summary ? amount(summary.poolCostPool.service, state.unit) : "–"}</td>
      <td class="num">{summary ? amount(summary.poolCostPool.anlaeg, state.unit) : "–"}</td>
      <td class={`num${payback ? " flag" : ""}`}>
        {f ? years(f.paybackYears[basis]) : "–"}
        {payback && (
          <span
            class="badge"
            title={`Bryder kravet om højst ${rules?.payback.maxYears} års tilbagebetalingstid`}
          >
            {" "}
            ⚠<span class="sr-only"> bryder tilbagebetalingskravet</span>
          </span>
        )}
      </td>
      <td class="no-print">
        {p.summary.variants.length > 1 ? (
          <select
            aria-label={`Variant af ${id}`}
            value={variant}
            onChange={(e) => onVariant(id, e.currentTarget.value)}
          >
            {p.summary.variants.map((v) => (
              <option key={v.id} value={v.id}>
                {variantName(v)}
              </option>
            ))}
          </select>
        ) : null}
      </td>
      <td class="no-print">
        <input
          type="checkbox"
          aria-label={`Lås ${id}`}
          title={scenarioLock ? "Låst af scenariet" : "Lås i pakken (Optimér beholder det)"}
          checked={locked}
          disabled={scenarioLock !== undefined}
          onChange={(e) => onLock(id, e.currentTarget.checked)}
        />
      </td>
      <td class="no-print">
        <input
          type="checkbox"
          aria-label={`Udeluk ${id}`}
          title={scenarioExcluded ? "Udelukket af scenariet" : "Udeluk (Optimér vælger det aldrig)"}
          checked={excluded}
          disabled={scenarioExcluded}
          onChange={(e) => onExclude(id, e.currentTarget.checked)}
        />
      </td>
    </tr>
  )
}
