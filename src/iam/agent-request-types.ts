// The types of the SSM Agent's request model (src/iam/data/agent-requests.yaml).

/** One action the agent calls, with the resource(s) IAM authorises it against. */
export interface AgentRequestSpec {
  action: string;
  /** ARN templates; `*` for actions that support no resource types. */
  resources: string[];
  /** `all`: every resource must be allowed; `one-of`: which one the call names is not known. */
  resourceMatch: 'all' | 'one-of';
  contextKeys: string[];
  /** A key of `sources`. */
  source: string;
  note?: string;
}

export interface AgentRequestModel {
  sources: Record<string, string>;
  requests: AgentRequestSpec[];
  notEvaluated: { action: string; resources: string[]; source: string }[];
  globalContextKeys: { key: string; from: string; source: string }[];
}
