import type {
  AlternativesReply,
  AlternativesRequest,
  CompareReply,
  CompareRequest,
  DeletedReply,
  EvaluateReply,
  EvaluateRequest,
  ExplainReply,
  ExplainRequest,
  FrontierReply,
  FrontierRequest,
  PageProposal,
  ProposalDetailsResponse,
  ProposalListResponse,
  ReopenedScenarioReply,
  RobustnessReply,
  RobustnessRequest,
  Round,
  SavedPackageList,
  SavedPackageReply,
  SavedScenarioList,
  SavedScenarioReply,
  SavePackageRequest,
  SaveScenarioRequest,
  Scenario,
  ScenarioListResponse,
  ScenarioSolveReply,
  ScenarioSolveRequest,
  ScenarioVersionList,
} from "./types.ts"

/** A failed call, with the service's own message (its 400s name each bad field) and status. */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

const KEY = "pulje:api-key"

/** The API key the service asks for when it has keys (kept for this browser tab only). */
export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
}

/** A GET without a body, a POST with one, unless `method` says otherwise (PUT, DELETE). */
const request = async (
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  method?: "PUT" | "DELETE",
): Promise<Response> => {
  const key = apiKey.get()
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {}
  const res = await fetch(path, {
    ...(body === undefined
      ? { headers, ...(method ? { method } : {}) }
      : {
          method: method ?? "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
    ...(signal ? { signal } : {}),
  })
  if (!res.ok) {
    const data = await res.json().catch(() => null)
    const issues = (data?.issues ?? []) as { path: string; message: string }[]
    const detail = issues.map((i) => `${i.path}: ${i.message}`).join("; ")
    throw new ApiFailure(`${data?.message ?? res.statusText}${detail ? ` (${detail})` : ""}`, res.status)
  }
  return res
}

const call = async <T>(
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  method?: "PUT" | "DELETE",
): Promise<T> => (await request(path, body, signal, method)).json() as Promise<T>

/** A file the service hands over: its bytes and the name it suggests. */
export interface Download {
  readonly blob: Blob
  readonly name: string
}

const download = async (path: string, body: unknown, fallback: string): Promise<Download> => {
  const res = await request(path, body)
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallback
  return { blob: await res.blob(), name }
}

/** The calls the page makes, one per endpoint. */
export const api = {
  proposals: () => call<ProposalListResponse>("/proposals"),
  /** Every proposal in full, in one request. */
  proposalDetails: () => call<ProposalDetailsResponse>("/proposals/details"),
  round: () => call<Round>("/round"),
  scenarios: () => call<ScenarioListResponse>("/scenarios"),
  scenario: (id: string) => call<Scenario>(`/scenarios/${encodeURIComponent(id)}`),
  solve: (id: string, body: ScenarioSolveRequest) =>
    call<ScenarioSolveReply>(`/scenarios/${encodeURIComponent(id)}/solve`, body),
  evaluate: (body: EvaluateRequest, signal?: AbortSignal) => call<EvaluateReply>("/evaluate", body, signal),
  packages: () => call<SavedPackageList>("/packages"),
  savedPackage: (id: string) => call<SavedPackageReply>(`/packages/${encodeURIComponent(id)}`),
  savePackage: (body: SavePackageRequest) => call<SavedPackageReply>("/packages", body),
  savedScenarios: () => call<SavedScenarioList>("/scenarios/saved"),
  savedScenario: (id: string) => call<ReopenedScenarioReply>(`/scenarios/saved/${encodeURIComponent(id)}`),
  saveScenario: (body: SaveScenarioRequest) => call<SavedScenarioReply>("/scenarios", body),
  /** A new version of a user scenario (409 when `baseVersion` is no longer the latest). */
  updateScenario: (id: string, body: SaveScenarioRequest) =>
    call<SavedScenarioReply>(`/scenarios/saved/${encodeURIComponent(id)}`, body, undefined, "PUT"),
  /** Delete a user scenario: gone from the list (its versions are kept). */
  deleteScenario: (id: string) =>
    call<DeletedReply>(`/scenarios/saved/${encodeURIComponent(id)}`, undefined, undefined, "DELETE"),
  /** Every version of a user scenario, as saved (a deleted one's too). */
  scenarioVersions: (id: string) =>
    call<ScenarioVersionList>(`/scenarios/saved/${encodeURIComponent(id)}/versions`),
  solveSavedScenario: (id: string) =>
    call<ScenarioSolveReply>(`/scenarios/saved/${encodeURIComponent(id)}/solve`, {}),
  /** The package as an Excel workbook (summary with live formulas, cash flows, rules). */
  exportXlsx: (body: EvaluateRequest) => download("/evaluate/export?format=xlsx", body, "pakke.xlsx"),
  compare: (body: CompareRequest) => call<CompareReply>("/compare", body),
  frontier: (id: string, body: FrontierRequest) =>
    call<FrontierReply>(`/scenarios/${encodeURIComponent(id)}/frontier`, body),
  explain: (id: string, body: ExplainRequest) =>
    call<ExplainReply>(`/scenarios/${encodeURIComponent(id)}/explain`, body),
  robustness: (id: string, body: RobustnessRequest) =>
    call<RobustnessReply>(`/scenarios/${encodeURIComponent(id)}/robustness`, body),
  alternatives: (id: string, body: AlternativesRequest) =>
    call<AlternativesReply>(`/scenarios/${encodeURIComponent(id)}/alternatives`, body),
}

/** Every proposal with the full figures of each variant (the meters need the per-year costs). */
export const loadProposals = async (): Promise<PageProposal[]> => {
  const [list, details] = await Promise.all([api.proposals(), api.proposalDetails()])
  const figures = new Map(details.proposals.map((d) => [d.proposal.id, d.figures]))
  return list.proposals.map((summary) => ({ summary, figures: figures.get(summary.id) ?? [] }))
}
