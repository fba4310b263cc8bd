import { meRouter } from "../routers/me";
import { overviewRouter } from "../routers/overview";
import { createCallerFactory, createRouter } from "./init";

export const appRouter = createRouter({
  me: meRouter,
  overview: overviewRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
