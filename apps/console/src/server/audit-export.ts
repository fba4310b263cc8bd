import type { PrismaClient } from "@portcullis/db";
import { z } from "zod";
import { csvLine } from "../lib/csv";
import { auditFilterSchema, auditWhere, toAuditDto, type AuditFilter } from "./routers/audit/filters";

export const auditExportQuerySchema = auditFilterSchema.extend({ format: z.enum(["csv", "jsonl"]) });

const columns = ["seq", "occurredAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "outcome", "ip", "userAgent", "requestId", "before", "after", "metadata", "prevHash", "hash"] as const;

/** Oldest first (chain order), in pages, so an export of millions of events never sits in memory. */
export function auditExportStream(prisma: PrismaClient, filter: AuditFilter, format: "csv" | "jsonl", pageSize = 1000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = -1n;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started && format === "csv") controller.enqueue(encoder.encode(csvLine(columns)));
      started = true;
      const rows = await prisma.auditEvent.findMany({ where: { AND: [auditWhere(filter), { seq: { gt: after } }] }, orderBy: { seq: "asc" }, take: pageSize });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      after = rows[rows.length - 1]!.seq;
      const text = rows
        .map((r) => {
          const dto = toAuditDto(r);
          return format === "csv" ? csvLine(columns.map((c) => dto[c])) : `${JSON.stringify(dto)}\n`;
        })
        .join("");
      controller.enqueue(encoder.encode(text));
    },
  });
}
