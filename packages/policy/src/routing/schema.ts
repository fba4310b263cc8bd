import { z } from "zod";

/**
 * Routing rules: the first enabled rule (by priority) whose `match` fits the request
 * picks a strategy over targets. Targets name a configured provider (and optionally
 * one of its keys) and the model there; groups nest strategies (a weighted group as
 * one fallback step).
 */
export const retryConditionSchema = z.union([
  z.number().int().min(400).max(599),
  z.enum(["timeout", "connection", "stream_before_first_token"]),
]);
export type RetryCondition = z.infer<typeof retryConditionSchema>;

export const routeTargetSchema = z.strictObject({
  provider: z.string().min(1),
  key: z.string().min(1).optional(),
  model: z.string().min(1),
  weight: z.number().min(0).max(1000).default(1),
});
export type RouteTarget = z.infer<typeof routeTargetSchema>;

export const strategyModes = ["weighted", "fallback", "least-latency", "lowest-cost"] as const;
export type StrategyMode = (typeof strategyModes)[number];

export interface RouteGroup {
  mode: StrategyMode;
  weight?: number;
  targets: RouteNode[];
}
export type RouteNode = RouteTarget | RouteGroup;

export const routeGroupSchema: z.ZodType<RouteGroup> = z.lazy(() =>
  z.strictObject({
    mode: z.enum(strategyModes),
    weight: z.number().min(0).max(1000).optional(),
    targets: z.array(z.union([routeTargetSchema, routeGroupSchema])).min(1, "a group needs at least one target"),
  }),
);

export const routePolicySchema = z.strictObject({
  /** Retries of the SAME target before falling back. */
  retries: z.number().int().min(0).max(5).default(1),
  backoffMs: z.number().int().min(0).max(60_000).default(200),
  maxBackoffMs: z.number().int().min(0).max(120_000).default(5_000),
  /** Longest `retry-after` honoured by waiting; a longer one falls back instead. */
  maxRetryAfterMs: z.number().int().min(0).max(120_000).default(2_000),
  attemptTimeoutMs: z.number().int().min(100).max(600_000).optional(),
  totalTimeoutMs: z.number().int().min(100).max(1_800_000).optional(),
  retryOn: z.array(retryConditionSchema).default(["connection", "timeout", 429, 502, 503, 504]),
  fallbackOn: z.array(retryConditionSchema).default([429, 500, 502, 503, 504, 529, "timeout", "connection", "stream_before_first_token"]),
});
export type RoutePolicy = z.infer<typeof routePolicySchema>;
export const defaultRoutePolicy: RoutePolicy = routePolicySchema.parse({});

export const routeMatchSchema = z.strictObject({
  /** Globs over the requested model name (`gpt-4o*`, `gpt-default`). */
  models: z.array(z.string().min(1)).optional(),
  virtualKeys: z.array(z.string().min(1)).optional(),
  teams: z.array(z.string().min(1)).optional(),
  customers: z.array(z.string().min(1)).optional(),
  tenants: z.array(z.string().min(1)).optional(),
  /** Header name (lower case) -> glob over its value. */
  headers: z.record(z.string(), z.string()).optional(),
  /** Virtual key metadata key -> exact value. */
  metadata: z.record(z.string(), z.string()).optional(),
});
export type RouteMatch = z.infer<typeof routeMatchSchema>;

export const routingRuleSpecSchema = z.strictObject({
  name: z.string().min(1),
  priority: z.number().int().min(0).max(1_000_000).default(100),
  enabled: z.boolean().default(true),
  match: routeMatchSchema.default({}),
  strategy: routeGroupSchema,
  policy: routePolicySchema.default(defaultRoutePolicy),
});
export type RoutingRuleSpec = z.infer<typeof routingRuleSpecSchema>;

export const isGroup = (n: RouteNode): n is RouteGroup => "mode" in n;
