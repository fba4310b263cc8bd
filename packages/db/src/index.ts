export * from "./generated/prisma/client";
export { createPrisma, type CreatePrismaOptions } from "./client";
export { recreateDatabase } from "./admin";
export { bumpConfigVersion, readConfigVersion } from "./config-version";
export { appendAuditEvent, AUDIT_CHAIN_LOCK, type AuditEventInput } from "./audit";
export { pgConfigFromUrl, withDatabase, redactUrl } from "./pg-config";
export { rotateVirtualKey, setVirtualKeyStatus, type KeyActor } from "./repositories/virtual-keys";
