import { auditRouter } from "../routers/audit";
import { configRouter } from "../routers/config";
import { customersRouter } from "../routers/customers";
import { fleetRouter } from "../routers/fleet";
import { guardrailsRouter } from "../routers/guardrails";
import { budgetsRouter } from "../routers/limits/budgets";
import { rateLimitsRouter } from "../routers/limits/rate-limits";
import { meRouter } from "../routers/me";
import { overviewRouter } from "../routers/overview";
import { pricesRouter } from "../routers/prices";
import { providersRouter } from "../routers/providers";
import { requestLogsRouter } from "../routers/request-logs";
import { routingRouter } from "../routers/routing";
import { settingsRouter } from "../routers/settings";
import { teamsRouter } from "../routers/teams";
import { virtualKeysRouter } from "../routers/virtual-keys";
import { createCallerFactory, createRouter } from "./init";

export const appRouter = createRouter({
  me: meRouter,
  overview: overviewRouter,
  virtualKeys: virtualKeysRouter,
  teams: teamsRouter,
  customers: customersRouter,
  budgets: budgetsRouter,
  rateLimits: rateLimitsRouter,
  providers: providersRouter,
  prices: pricesRouter,
  routing: routingRouter,
  guardrails: guardrailsRouter,
  audit: auditRouter,
  requestLogs: requestLogsRouter,
  fleet: fleetRouter,
  config: configRouter,
  settings: settingsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
