import { createRouter } from "../../trpc/init";
import { exportSinksRouter } from "./export-sinks";
import { idpMappingsRouter } from "./idp-mappings";
import { rolesRouter } from "./roles";
import { serviceAccountsRouter } from "./service-accounts";
import { usersRouter } from "./users";

export const settingsRouter = createRouter({
  idpMappings: idpMappingsRouter,
  roles: rolesRouter,
  users: usersRouter,
  exportSinks: exportSinksRouter,
  serviceAccounts: serviceAccountsRouter,
});
