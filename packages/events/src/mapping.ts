import type { AuditEventInput } from "@portcullis/db";
import type { AlertEvent, DecisionEvent } from "./types";

/**
 * The audit event a gateway decision becomes. An anonymous caller (no valid key) is recorded
 * as actor type `system` labelled "anonymous": the gateway itself observed and refused the
 * attempt, and the enum of actor types stays the one the console filters by.
 */
export function decisionToAuditInput(e: DecisionEvent): AuditEventInput {
  const byKey = e.actor.type === "virtual_key" ? e.actor : undefined;
  return {
    id: e.id,
    occurredAt: new Date(e.time),
    actorType: byKey ? "virtual_key" : "system",
    actorId: byKey?.id ?? null,
    actorLabel: byKey ? (byKey.label ?? null) : "anonymous",
    action: e.action,
    targetType: e.target?.type ?? null,
    targetId: e.target?.id ?? null,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    requestId: e.requestId ?? null,
    outcome: e.outcome,
    metadata: e.node ? { ...e.metadata, node: e.node } : e.metadata,
  };
}

/** Alerts are kept in the audit chain too, so they reach the SIEM with everything else. */
export function alertToAuditInput(e: AlertEvent): AuditEventInput {
  return {
    id: e.id,
    occurredAt: new Date(e.time),
    actorType: "system",
    actorId: null,
    actorLabel: e.node ?? "gateway",
    action: e.kind,
    targetType: e.subject?.type ?? null,
    targetId: e.subject?.id ?? null,
    // A rejected configuration signature is a failed delivery; a crossed threshold is a fact.
    outcome: e.kind === "config.signature_rejected" ? "failure" : "success",
    metadata: { ...e.metadata, severity: e.severity, message: e.message },
  };
}
