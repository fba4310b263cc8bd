import { appendAuditEvent } from "@portcullis/db";
import { can } from "@portcullis/policy";
import { viewerLabel } from "@/server/auth/console-sessions";
import { getViewer } from "@/server/auth/viewer";
import { auditExportStream, auditExportQuerySchema } from "@/server/audit-export";
import { requestMetaFrom } from "@/server/request-meta";
import { getPrisma } from "@/server/services";

export const dynamic = "force-dynamic";

/** CSV or JSONL of the audit events matching the filters, streamed; the export itself is audited. */
export async function GET(req: Request): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  if (!can(viewer.bindings, "audit.export")) return Response.json({ error: "Missing permission: audit.export." }, { status: 403 });
  const parsed = auditExportQuerySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  const { format, ...filter } = parsed.data;
  const prisma = getPrisma();
  const meta = requestMetaFrom(req.headers);
  await prisma.$transaction((tx) =>
    appendAuditEvent(tx, {
      action: "audit.export",
      actorType: viewer.actorType,
      actorId: viewer.user.id,
      actorLabel: viewerLabel(viewer),
      targetType: "audit_log",
      ip: meta.ip,
      userAgent: meta.userAgent,
      metadata: { format, filter },
    }),
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(auditExportStream(prisma, filter, format), {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="portcullis-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
