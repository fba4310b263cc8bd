"use client";
import { useState } from "react";
import { jsonDiff } from "@/lib/json-diff";

/** Before/after of an audit event, path by path; unchanged paths on request. */
export function DiffView({ before, after }: { before: unknown; after: unknown }) {
  const [all, setAll] = useState(false);
  const rows = jsonDiff(before, after);
  const shown = all ? rows : rows.filter((r) => r.change !== "same");
  if (rows.length === 0) return <p className="muted">This event records no before/after state.</p>;
  return (
    <div>
      <label className="checkbox">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show unchanged fields ({rows.length - rows.filter((r) => r.change !== "same").length})
      </label>
      <div className="table-wrap" style={{ marginTop: 8 }}>
        <table className="diff" aria-label="Changes">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.path} data-change={r.change}>
                <th scope="row">{r.path}</th>
                <td className={r.change === "removed" || r.change === "changed" ? "removed" : undefined}>{r.before ?? "—"}</td>
                <td className={r.change === "added" || r.change === "changed" ? "added" : undefined}>{r.after ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
