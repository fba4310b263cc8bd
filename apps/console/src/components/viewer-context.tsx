"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { reachCan, reachSomewhere, type ReachMap } from "@/lib/reach";

export interface ClientViewer {
  user: { id: string; email: string; name: string | null; isBootstrapAdmin: boolean };
  reach: ReachMap;
}

const ViewerContext = createContext<ClientViewer | null>(null);

/** The signed-in viewer's reach in the browser, to show only the actions they may take (the server checks again). */
export function ViewerProvider({ viewer, children }: { viewer: ClientViewer; children: ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer() {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error("useViewer outside ViewerProvider");
  return useMemo(
    () => ({
      ...viewer,
      /** Organisation-wide, or inside `teamId` when given. */
      can: (permission: string, teamId?: string | null) => reachCan(viewer.reach, permission, teamId),
      canSomewhere: (permission: string) => reachSomewhere(viewer.reach, permission),
    }),
    [viewer],
  );
}
