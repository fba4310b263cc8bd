import { allPermissions, can } from "@portcullis/policy";
import { createRouter, protectedProcedure, requireSelf } from "../trpc/init";

export const meRouter = createRouter({
  /** The caller's own profile, role bindings and organisation-wide permissions. */
  get: protectedProcedure.use(requireSelf()).query(({ ctx }) => {
    const { user, bindings } = ctx.viewer;
    return {
      user,
      bindings: bindings.map((b) => ({ role: b.role, teamId: b.teamId })),
      globalPermissions: allPermissions.filter((p) => can(bindings, p)),
    };
  }),
});
