import type {
  AlternativesReply,
  AlternativesRequest,
  CompareReply,
  CompareRequest,
  EvaluateReply,
  EvaluateRequest,
  ExplainReply,
  ExplainRequest,
  FrontierReply,
  FrontierRequest,
  PageProposal,
  ProposalDetailResponse,
  ProposalListResponse,
  RobustnessReply,
  RobustnessRequest,
  Round,
  Scenario,
  ScenarioListResponse,
  ScenarioSolveReply,
  ScenarioSolveRequest,
} from "./types.ts"

/** A failed call, with the service's own message (its 400s name each bad field). */
export class ApiFailure extends Error {}

const call = async <T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> => {
  const res = await fetch(path, {
    ...(body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  })
  const data = await res.json().catch(() => null)
  if (!res.ok) {
    const issues = (data?.issues ?? []) as { path: string; message: string }[]
    const detail = issues.map((i) => `${i.path}: ${i.message}`).join("; ")
    throw new ApiFailure(`${data?.message ?? res.statusText}${detail ? ` (${detail})` : ""}`)
  }
  return data as T
}

/** The calls the page makes, one per endpoint. */
export const api = {
  proposals: () => call<ProposalListResponse>("/proposals"),
  proposal: (id: string) => call<ProposalDetailResponse>(`/proposals/${encodeURIComponent(id)}`),
  round: () => call<Round>("/round"),
  scenarios: () => call<ScenarioListResponse>("/scenarios"),
  scenario: (id: string) => call<Scenario>(`/scenarios/${encodeURIComponent(id)}`),
  solve: (id: string, body: ScenarioSolveRequest) =>
    call<ScenarioSolveReply>(`/scenarios/${encodeURIComponent(id)}/solve`, body),
  evaluate: (body: EvaluateRequest, signal?: AbortSignal) => call<EvaluateReply>("/evaluate", body, signal),
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
  const list = await api.proposals()
  const details = await Promise.all(list.proposals.map((p) => api.proposal(p.id)))
  return list.proposals.map((summary, i) => ({ summary, figures: details[i]?.figures ?? [] }))
}
