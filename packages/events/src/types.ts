import { z } from "zod";

/**
 * Events the gateway emits onto the `pc:events` stream (or straight to the worker in embedded
 * mode). Every event carries an idempotent id, so a replayed spool or a re-delivered stream entry
 * is dropped at insert: the request id for requests, a generated evt_ id for the others.
 */

const shortText = z.string().min(1).max(512);
const optionalText = shortText.nullish();
const count = z.number().int().nonnegative();
/** ISO-8601 instant with an offset (what Date#toISOString writes). */
const instant = z.iso.datetime({ offset: true });

const envelope = {
  /** Schema version of the event, bumped on incompatible changes. */
  v: z.literal(1),
  time: instant,
  /** Gateway node that emitted the event. */
  node: shortText.optional(),
};

export const requestIdentitySchema = z.object({
  virtualKeyId: optionalText,
  teamId: optionalText,
  customerId: optionalText,
  tenantId: optionalText,
  /** End-user label (OpenAI `user`, or a configured header). */
  userLabel: optionalText,
});
export type RequestIdentity = z.infer<typeof requestIdentitySchema>;

export const tokenCountsSchema = z.object({
  input: count.default(0),
  output: count.default(0),
  cachedRead: count.default(0),
  cachedWrite: count.default(0),
});
export type TokenCounts = z.infer<typeof tokenCountsSchema>;

export const guardrailDecisionSchema = z.object({
  policyId: shortText,
  stage: z.enum(["input", "output"]),
  action: z.enum(["allow", "flag", "redact", "block"]),
  detail: z.string().max(2048).optional(),
});
export type GuardrailDecision = z.infer<typeof guardrailDecisionSchema>;

export const requestOutcomeSchema = z.enum(["success", "error", "denied", "incomplete"]);
export type RequestOutcome = z.infer<typeof requestOutcomeSchema>;

/** Everything one request_logs row holds. */
export const requestEventSchema = z.object({
  ...envelope,
  type: z.literal("request"),
  /** The request id (req_…); doubles as the request_logs primary key. */
  id: z.string().regex(/^req_[0-9a-z]+$/),
  identity: requestIdentitySchema.default({}),
  /** e.g. "chat.completions", "embeddings", "messages", "mcp.tools/call". */
  endpoint: shortText,
  modelRequested: optionalText,
  provider: optionalText,
  providerKeyId: optionalText,
  modelUsed: optionalText,
  stream: z.boolean().default(false),
  /** Sampling parameters (temperature, max_tokens…), never the messages. */
  params: z.record(z.string(), z.unknown()).default({}),
  tokens: tokenCountsSchema.default({ input: 0, output: 0, cachedRead: 0, cachedWrite: 0 }),
  latencyMs: count.nullish(),
  ttftMs: count.nullish(),
  /** Micro-USD; a safe integer (2^53 micro-USD is ~9 billion USD per request). */
  costMicros: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  outcome: requestOutcomeSchema,
  errorCode: optionalText,
  /** HTTP status returned to the client. */
  status: z.number().int().min(100).max(599).nullish(),
  attempts: z.number().int().min(0).default(1),
  /** Provider keys tried, in order. */
  fallbackPath: z.array(shortText).default([]),
  guardrails: z.array(guardrailDecisionSchema).nullish(),
  /** Redacted bodies, only when body logging is on. */
  requestBody: z.unknown().optional(),
  responseBody: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type RequestEvent = z.infer<typeof requestEventSchema>;
/** What the gateway builds: defaults may be left out. */
export type RequestEventInput = z.input<typeof requestEventSchema>;

/** Governance decisions of the gateway that belong in the audit chain. */
export const decisionActions = [
  "gateway.auth_failed",
  "gateway.budget_denied",
  "gateway.rate_limited",
  "gateway.model_denied",
  "gateway.provider_denied",
  "gateway.endpoint_denied",
  "gateway.ip_denied",
  "gateway.tenant_denied",
  "gateway.guardrail_blocked",
] as const;
/**
 * Known actions are listed above; any `gateway.<verb>` is accepted so that a gateway newer than
 * the worker never has a governance decision refused at ingest.
 */
export const decisionActionSchema = z.string().regex(/^gateway\.[a-z][a-z0-9_]*$/);
export type DecisionAction = (typeof decisionActions)[number] | (string & {});

export const decisionActorSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("virtual_key"), id: shortText, label: optionalText }),
  /** No valid key was presented (auth failures). */
  z.object({ type: z.literal("anonymous") }),
]);
export type DecisionActor = z.infer<typeof decisionActorSchema>;

const auditEventId = z.string().regex(/^evt_[0-9a-z]+$/);

export const decisionEventSchema = z.object({
  ...envelope,
  type: z.literal("decision"),
  id: auditEventId,
  actor: decisionActorSchema,
  action: decisionActionSchema,
  /** `denied` for policy refusals, `failure` for failed authentication. */
  outcome: z.enum(["denied", "failure"]).default("denied"),
  target: z.object({ type: shortText, id: shortText }).nullish(),
  requestId: optionalText,
  ip: optionalText,
  userAgent: z.string().max(1024).nullish(),
  /**
   * Names the policy that decided (policyType: budget | rate_limit | guardrail | allow_list…,
   * policyId) and why; never a presented key or a message body.
   */
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type DecisionEvent = z.infer<typeof decisionEventSchema>;
export type DecisionEventInput = z.input<typeof decisionEventSchema>;

export const alertKinds = ["budget.soft_threshold_crossed", "config.signature_rejected"] as const;
/** Known kinds above; any `<resource>.<event>` is accepted (see decisionActionSchema). */
export const alertKindSchema = z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/);
export type AlertKind = (typeof alertKinds)[number] | (string & {});

/** Something an operator should hear about; also kept in the audit chain. */
export const alertEventSchema = z.object({
  ...envelope,
  type: z.literal("alert"),
  id: auditEventId,
  kind: alertKindSchema,
  severity: z.enum(["info", "warning", "critical"]).default("warning"),
  /** What the alert is about, e.g. { type: "budget", id: "bud_…" }. */
  subject: z.object({ type: shortText, id: shortText }).nullish(),
  message: z.string().min(1).max(2048),
  /** e.g. budget: { thresholdPct, spentMicros, limitMicros, period }; config: { version, keyId }. */
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;
export type AlertEventInput = z.input<typeof alertEventSchema>;

export const portcullisEventSchema = z.discriminatedUnion("type", [requestEventSchema, decisionEventSchema, alertEventSchema]);
export type PortcullisEvent = z.infer<typeof portcullisEventSchema>;
/** What emit() accepts. */
export type PortcullisEventInput = z.input<typeof portcullisEventSchema>;
