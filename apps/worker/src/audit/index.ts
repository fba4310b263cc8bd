export { resolveAuditSigningKey, auditKeyRing, signingKeyFile, type AuditSigningKeySource } from "./signing-key";
export { verifyStoredChain, chainAnchor, type AuditVerifyReport, type VerifyStoredOptions, type CheckpointProblem } from "./verify-stored";
export { createAuditCheckpoint, startCheckpointJob, type CheckpointOutcome, type CheckpointJob, type CreateCheckpointOptions } from "./checkpoint";
export { archiveAuditEvents, archiveSignatureSuffix, type ArchiveManifest, type ArchiveResult } from "./archive";
export { verifyArchiveFile, type ArchiveVerifyReport } from "./archive-verify";
