export * from "./generated/prisma/client";
export { createPrisma, type CreatePrismaOptions } from "./client";
export { migrate, migrationsDir, type MigrateOptions } from "./migrate";
export { recreateDatabase } from "./admin";
export { bumpConfigVersion, readConfigVersion } from "./config-version";
export { appendAuditEvent, AUDIT_CHAIN_LOCK, type AuditEventInput } from "./audit";
export { pgConfigFromUrl, withDatabase, redactUrl } from "./pg-config";
