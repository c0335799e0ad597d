import type { Entry, RulesChange, SaveScenarioRequest, ScenarioVersion } from "./types.ts"

/** How amounts are shown: mio. kr. with one decimal (default) or whole 1.000 kr. as printed. */
export type Unit = "mio" | "tkr"

/**
 * What the negotiator has built: the scenario whose rules apply, the chosen variant per proposal,
 * the proposals locked in (kept by "Optimér") and those excluded (never chosen), and the unit.
 * Immutable: every change returns a new state.
 */
export interface PageState {
  readonly scenario: string
  /** Proposal id → chosen variant id. */
  readonly picks: Readonly<Record<string, string>>
  readonly locks: readonly string[]
  readonly exclude: readonly string[]
  readonly unit: Unit
  /** The saved user scenario chosen (its id): its rule changes apply on top of the scenario's. */
  readonly saved?: string | undefined
}

export const emptyState = (scenario: string): PageState => ({
  scenario,
  picks: {},
  locks: [],
  exclude: [],
  unit: "mio",
})

const without = (list: readonly string[], id: string) => list.filter((x) => x !== id)
const withOne = (list: readonly string[], id: string) => (list.includes(id) ? list : [...list, id].sort())
const pickOut = (picks: Readonly<Record<string, string>>, id: string) => {
  const { [id]: _, ...rest } = picks
  return rest
}

/** Choose a proposal (in `variant`, default its current or "base"), or drop it; dropping also unlocks it. */
export const toggle = (s: PageState, id: string, on: boolean, variant?: string): PageState =>
  on
    ? {
        ...s,
        picks: { ...s.picks, [id]: variant ?? s.picks[id] ?? "base" },
        exclude: without(s.exclude, id),
      }
    : { ...s, picks: pickOut(s.picks, id), locks: without(s.locks, id) }

/** Choose another variant of a proposal (and so choose the proposal). */
export const setVariant = (s: PageState, id: string, variant: string): PageState =>
  toggle(s, id, true, variant)

/** Lock a proposal into the package (choosing it), or unlock it (it stays chosen). */
export const setLock = (s: PageState, id: string, on: boolean): PageState =>
  on ? { ...toggle(s, id, true), locks: withOne(s.locks, id) } : { ...s, locks: without(s.locks, id) }

/** Exclude a proposal (dropping it from the package), or allow it again. */
export const setExclude = (s: PageState, id: string, on: boolean): PageState =>
  on
    ? { ...toggle(s, id, false), exclude: withOne(s.exclude, id) }
    : { ...s, exclude: without(s.exclude, id) }

/**
 * The state once the saved user scenario `id` is deleted: if it was the one chosen, the page falls
 * back to the scenario it was based on (`scenario`), keeping the package and the what-if.
 */
export const forgetSaved = (s: PageState, id: string): PageState =>
  s.saved === id ? { ...s, saved: undefined } : s

/** The package as the API takes it, in proposal order. */
export const entries = (s: PageState): Entry[] =>
  Object.keys(s.picks)
    .sort()
    .map((proposal) => ({ proposal, variant: s.picks[proposal] ?? "base" }))

/** Replace the package by `chosen`, keeping locks that are still in it and the exclusions. */
export const withPackage = (s: PageState, chosen: readonly Entry[]): PageState => {
  const picks = Object.fromEntries(chosen.map((e) => [e.proposal, e.variant]))
  return { ...s, picks, locks: s.locks.filter((id) => id in picks) }
}

/** What a change of package did: entries that came in and those that went out (a variant change is both). */
export interface PackageChange {
  readonly entered: readonly Entry[]
  readonly left: readonly Entry[]
}

export const packageChange = (before: PageState, after: PageState): PackageChange => {
  const key = (e: Entry) => `${e.proposal}:${e.variant}`
  const was = new Set(entries(before).map(key))
  const now = new Set(entries(after).map(key))
  return {
    entered: entries(after).filter((e) => !was.has(key(e))),
    left: entries(before).filter((e) => !now.has(key(e))),
  }
}

// ---------------------------------------------------------------- the share link

/** "BC05" or "BC10:scenario-2" (the CLI's form); "base" is left out. */
const entryText = (e: Entry) => (e.variant === "base" ? e.proposal : `${e.proposal}:${e.variant}`)

/**
 * The state as a URL fragment ("#scenarie=…&gemt=…&pakke=BC05,BC10:scenario-2&laas=…&udeluk=…&enhed=tkr"),
 * readable in a chat message; only what differs from the defaults is written.
 */
export const encodeState = (s: PageState): string => {
  const q = new URLSearchParams()
  q.set("scenarie", s.scenario)
  if (s.saved) q.set("gemt", s.saved)
  const pkg = entries(s).map(entryText)
  if (pkg.length) q.set("pakke", pkg.join(","))
  if (s.locks.length) q.set("laas", s.locks.join(","))
  if (s.exclude.length) q.set("udeluk", s.exclude.join(","))
  if (s.unit !== "mio") q.set("enhed", s.unit)
  return `#${q.toString().replaceAll("%2C", ",").replaceAll("%3A", ":")}`
}

/** What the page knows exists, to check a shared link against. */
export interface Known {
  readonly scenarios: readonly string[]
  readonly defaultScenario: string
  /** Proposal id → its variant ids. */
  readonly variants: ReadonlyMap<string, readonly string[]>
}

/** A decoded link, and each part of it that named something that does not exist (in Danish). */
export interface Decoded {
  readonly state: PageState
  readonly problems: readonly string[]
}

/** Read a URL fragment written by `encodeState`; unknown scenarios, proposals and variants are dropped and reported. */
export const decodeState = (hash: string, known: Known): Decoded => {
  const q = new URLSearchParams(hash.replace(/^#/, ""))
  const problems: string[] = []
  const ids = (name: string) =>
    (q.get(name) ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean)
  const proposal = (id: string) => {
    const up = id.toUpperCase()
    if (known.variants.has(up)) return up
    problems.push(`ukendt forslag ${id}`)
    return undefined
  }
  let scenario = q.get("scenarie") ?? known.defaultScenario
  if (!known.scenarios.includes(scenario)) {
    problems.push(`ukendt scenarie ${scenario}`)
    scenario = known.defaultScenario
  }
  const saved = q.get("gemt")
  // Whether a saved scenario exists is the service's to say; the page asks it when it opens it.
  let s: PageState = saved ? { ...emptyState(scenario), saved } : emptyState(scenario)
  for (const text of ids("pakke")) {
    const [raw = "", variant = "base"] = text.split(":")
    const id = proposal(raw)
    if (id === undefined) continue
    if (known.variants.get(id)?.includes(variant)) s = toggle(s, id, true, variant)
    else problems.push(`ukendt variant ${variant} af ${id}`)
  }
  for (const raw of ids("laas")) {
    const id = proposal(raw)
    if (id !== undefined) s = setLock(s, id, true)
  }
  for (const raw of ids("udeluk")) {
    const id = proposal(raw)
    if (id !== undefined) s = setExclude(s, id, true)
  }
  const unit = q.get("enhed")
  if (unit === "tkr") s = { ...s, unit }
  return { state: s, problems }
}

// ---------------------------------------------------------------- the compare panel

/** A package kept for comparison: its label, the rules that judge it, and its entries. */
export interface CompareSlot {
  readonly label: string
  readonly scenario: string
  /** The chosen user scenario's changes to `scenario`'s rules (the side panel's optimum is solved under them). */
  readonly rules?: RulesChange | undefined
  /** The name of those rules: the scenario's or the user scenario's title. */
  readonly rulesTitle: string
  readonly package: readonly Entry[]
}

const sameRules = (a: CompareSlot, b: CompareSlot) =>
  a.scenario === b.scenario &&
  a.rulesTitle === b.rulesTitle &&
  JSON.stringify(a.rules ?? {}) === JSON.stringify(b.rules ?? {})
const samePackage = (a: CompareSlot, b: CompareSlot) =>
  JSON.stringify(a.package) === JSON.stringify(b.package)

/**
 * Why a comparison made of `judged` (package A, then the current package) no longer holds for the
 * slots now on the page, in Danish ("reglerne er skiftet til …"), or null when it still holds. The
 * amounts do not depend on the unit shown, so a change of unit is no reason.
 */
export const compareStale = (
  judged: readonly [CompareSlot, CompareSlot],
  now: readonly [CompareSlot, CompareSlot],
): string | null => {
  const [a, current] = judged
  const [nowA, nowCurrent] = now
  const why: string[] = []
  if (!sameRules(a, nowA) || !samePackage(a, nowA)) why.push("pakke A er gemt igen")
  if (!sameRules(current, nowCurrent))
    why.push(
      current.rulesTitle === nowCurrent.rulesTitle
        ? `reglerne i "${current.rulesTitle}" er ændret`
        : `reglerne er skiftet fra "${current.rulesTitle}" til "${nowCurrent.rulesTitle}"`,
    )
  if (!samePackage(current, nowCurrent)) why.push("den nuværende pakke er ændret")
  return why.length ? why.join(", og ") : null
}

// ---------------------------------------------------------------- versions of a user scenario

/** What a version of a user scenario holds (the service keeps it as the JSON it validated). */
export interface VersionBody {
  readonly basedOn: string
  readonly description: string
  readonly rules: RulesChange
  /** The round it was saved in; null for a version saved before the round was kept. */
  readonly round: string | null
}

export const versionBody = (v: Pick<ScenarioVersion, "body">): VersionBody => {
  const b = v.body as Partial<Record<keyof VersionBody, unknown>>
  return {
    basedOn: String(b.basedOn ?? ""),
    description: String(b.description ?? ""),
    rules: (b.rules ?? {}) as RulesChange,
    round: typeof b.round === "string" ? b.round : null,
  }
}

/** The versions newest first, as the list shows them. */
export const newestFirst = (versions: readonly ScenarioVersion[]): ScenarioVersion[] =>
  [...versions].sort((a, b) => b.version - a.version)

/**
 * The request that restores version `v` of a user scenario: its base scenario and rules saved as a
 * new version under the scenario's current `title`, refused (409) unless `openVersion` is still the
 * latest, so that a save by someone else in between is not overwritten unseen.
 */
export const restoreRequest = (
  v: ScenarioVersion,
  title: string,
  openVersion: number,
): SaveScenarioRequest => {
  const b = versionBody(v)
  return { title, description: b.description, basedOn: b.basedOn, rules: b.rules, baseVersion: openVersion }
}
