"use client";
import type { ReactNode } from "react";

interface QueryLike<T> {
  data: T | undefined;
  error: { message: string; data?: { code?: string } | null } | null;
  isPending: boolean;
}

/** Loading skeleton, error or forbidden notice, empty state, or the content. */
export function QueryState<T>({ query, empty, isEmpty, children, rows = 4 }: { query: QueryLike<T>; empty?: ReactNode; isEmpty?: (data: T) => boolean; children: (data: T) => ReactNode; rows?: number }) {
  if (query.error) {
    const forbidden = query.error.data?.code === "FORBIDDEN";
    return (
      <p className={forbidden ? "notice" : "notice notice-error"} role={forbidden ? "note" : "alert"}>
        {forbidden ? `You do not have access to this: ${query.error.message}` : `Could not load: ${query.error.message}`}
      </p>
    );
  }
  if (query.isPending || query.data === undefined) {
    return (
      <div className="table-wrap" aria-busy="true" aria-label="Loading">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="skeleton-row" />
        ))}
      </div>
    );
  }
  if (isEmpty?.(query.data)) return <div className="table-wrap empty">{empty ?? "Nothing here yet."}</div>;
  return <>{children(query.data)}</>;
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <>
      <strong>{title}</strong>
      {children}
    </>
  );
}
