import type { Check } from "./App.tsx"
import { amount, areaName, inUnit, money, signed, unitAfter, unitName } from "./format.ts"
import type { Meter, Meters } from "./meters.ts"
import type { PackageChange, Unit } from "./state.ts"
import type { SolveOutcome } from "./types.ts"

/** What "Optimér" or "Fyld op" did, or why it could not. */
export type ActionResult =
  | { readonly kind: ActionKind; readonly change: PackageChange; readonly objective: number }
  | { readonly kind: ActionKind; readonly error: string }
type ActionKind = "Optimér" | "Fyld op" | "Alternativ" | "Eksport" | "Scenarie"

interface Props {
  readonly meters: Meters | undefined
  readonly unit: Unit
  readonly poolLevel: number
  readonly count: number
  readonly optimum: SolveOutcome | undefined
  readonly check: Check | null
  readonly action: ActionResult | null
  /** Take these proposals out of the package (the service's cheapest repair). */
  readonly onDrop: (ids: readonly string[]) => void
}

/** The package at a glance: pool meters, saving, distance to the optimum, broken rules, last action. */
export const SidePanel = ({ meters, unit, poolLevel, count, optimum, check, action, onDrop }: Props) => {
  if (!meters) return <p aria-busy="true">Henter scenariet …</p>
  const best =
    optimum && (optimum.status === "optimal" || optimum.status === "feasible") ? optimum : undefined
  const level = meters.tablePriceLevel || 2027
  return (
    <>
      <section class="card" aria-labelledby="pools-h">
        <h2 id="pools-h">
          Puljerne{" "}
          <small>
            ({unitName(unit)}, {poolLevel} p/l)
          </small>
        </h2>
        {meters.pools.map((m) => (
          <PoolMeter key={m.area} m={m} unit={unit} />
        ))}
        <YearTable years={meters.years} unit={unit} />
      </section>
      <section class="card" aria-labelledby="effect-h">
        <h2 id="effect-h">Effekt</h2>
        <p class="big" data-saving={meters.saving}>
          {money(meters.saving, unit, level)} <small>om året v. fuld indfasning</small>
        </p>
        <p>
          {count} forslag.{" "}
          {best && (
            <span data-distance={meters.saving - best.objective}>
              Optimum {amount(best.objective, unit)}; afstand{" "}
              <b>{signed(meters.saving - best.objective, unit)}</b>
              {unitAfter(unit)}
              {check?.reply?.feasible === false && " (men pakken bryder reglerne)"}
            </span>
          )}
        </p>
        <RuleCheck check={check} meters={meters} unit={unit} onDrop={onDrop} />
      </section>
      {action && <ActionReport action={action} unit={unit} />}
    </>
  )
}

const PoolMeter = ({ m, unit }: { m: Meter; unit: Unit }) => {
  return (
    <div class={`meter${m.over ? " over" : ""}`} data-meter={m.area} data-used={m.used} data-over={m.over}>
      <div class="meter-head">
        <b>{areaName(m.area)}</b>
        <span>
          brugt {amount(m.used, unit)}
          {m.limit !== null && ` af ${amount(m.limit, unit)}`}
        </span>
      </div>
      {m.limit !== null && (
        <meter
          class="bar"
          aria-label={`${areaName(m.area)}: brugt`}
          min={0}
          max={m.limit}
          value={m.used}
          aria-valuetext={`${amount(m.used, unit)} af ${inUnit(amount(m.limit, unit), unit)}`}
        />
      )}
      {m.left !== null && (
        <div class="left">
          {m.over ? <b>overskredet med {amount(-m.left, unit)}</b> : <>tilbage {amount(m.left, unit)}</>}
        </div>
      )}
    </div>
  )
}

/** Pool use per year: service and anlæg (and combined, where a yearly limit exists). */
const YearTable = ({ years, unit }: { years: readonly Meter[]; unit: Unit }) => {
  const byYear = new Map<number, Meter[]>()
  for (const m of years) if (m.year !== null) byYear.set(m.year, [...(byYear.get(m.year) ?? []), m])
  const cell = (m: Meter | undefined) =>
    m ? (
      <td class={`num${m.over ? " over" : ""}`} data-meter={m.area} data-year={m.year} data-used={m.used}>
        {amount(m.used, unit)}
        {m.limit !== null && <small> / {amount(m.limit, unit)}</small>}
        {m.over && <span class="sr-only"> overskredet</span>}
      </td>
    ) : (
      <td />
    )
  return (
    <table class="years">
      <caption>Pr. år (brugt{years.some((m) => m.limit !== null) ? " / grænse" : ""})</caption>
      <thead>
        <tr>
          <th scope="col">År</th>
          <th scope="col" class="num">
            Service
          </th>
          <th scope="col" class="num">
            Anlæg
          </th>
        </tr>
      </thead>
      <tbody>
        {[...byYear].map(([y, list]) => (
          <tr key={y}>
            <th scope="row">{y}</th>
            {cell(list.find((m) => m.area === "service"))}
            {cell(list.find((m) => m.area === "anlaeg"))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The meter a limit rule ("limit:service", "limit:anlaeg:2027") is about, if any. */
const meterOf = (rule: string, meters: Meters): Meter | undefined => {
  const [kind, area, year] = rule.split(":")
  if (kind !== "limit") return undefined
  const list = year === undefined ? meters.pools : meters.years
  return list.find((m) => m.area === area && (year === undefined || m.year === Number(year)))
}

/** The rules the package breaks, in the service's words, with the overrun from the meters. */
const RuleCheck = ({
  check,
  meters,
  unit,
  onDrop,
}: {
  check: Check | null
  meters: Meters
  unit: Unit
  onDrop: (ids: readonly string[]) => void
}) => {
  const reply = check?.reply
  const repair = reply?.repair
  const drop = repair?.possible ? repair.drop.map((d) => d.proposal) : []
  return (
    <div
      class="rules"
      aria-live="polite"
      data-check={check ? (reply?.feasible ? "ok" : "broken") : "pending"}
    >
      {check === null ? (
        <p class="muted">Tjekker reglerne …</p>
      ) : check.error !== null || !reply ? (
        <p class="bad">Regeltjekket fejlede: {check.error}</p>
      ) : reply.feasible ? (
        <p class="ok">✓ Pakken overholder reglerne.</p>
      ) : (
        <>
          <p class="bad">
            Pakken bryder {reply.broken.length === 1 ? "en regel" : `${reply.broken.length} regler`}:
          </p>
          <ul class="broken">
            {reply.broken.map((b) => {
              const m = meterOf(b.rule, meters)
              return (
                <li key={`${b.rule}:${b.text}`}>
                  {b.text}
                  {m?.left != null &&
                    m.left < 0 &&
                    `; pakken bruger ${amount(m.used, unit)}, ${amount(-m.left, unit)} for meget`}
                </li>
              )
            })}
          </ul>
          {drop.length > 0 && (
            <p class="repair">
              Billigste vej til en lovlig pakke: tag {drop.join(", ")} ud
              {repair?.lostObjective != null &&
                ` (koster ${inUnit(amount(repair.lostObjective, unit), unit)} om året)`}
              .{" "}
              <button type="button" class="no-print" onClick={() => onDrop(drop)}>
                Tag {drop.length === 1 ? "det" : "dem"} ud
              </button>
            </p>
          )}
        </>
      )}
    </div>
  )
}

const ids = (list: readonly { proposal: string; variant: string }[]) =>
  list.length
    ? list.map((e) => (e.variant === "base" ? e.proposal : `${e.proposal} (${e.variant})`)).join(", ")
    : "ingen"

const ActionReport = ({ action, unit }: { action: ActionResult; unit: Unit }) => (
  <section class="card action" aria-live="polite" aria-labelledby="action-h">
    <h2 id="action-h">{action.kind}</h2>
    {"error" in action ? (
      <p class="bad">{action.error}</p>
    ) : (
      <>
        <p>Resultat: {inUnit(amount(action.objective, unit), unit)} om året.</p>
        <p data-entered={action.change.entered.map((e) => e.proposal).join(",")}>
          <b>Kom ind:</b> {ids(action.change.entered)}
        </p>
        <p data-left={action.change.left.map((e) => e.proposal).join(",")}>
          <b>Gik ud:</b> {ids(action.change.left)}
        </p>
      </>
    )}
  </section>
)
