export * from "./bus";
export { createMemoryBus } from "./memory-bus";
export { createRedisBus } from "./redis-bus";
export * from "./holder";
export { compileSnapshot } from "./compile";
export { canonicalJson, jsonEqual } from "./canonical";
export {
  configKeyId, configPublicKeyPem, generateConfigSigningKey, parseConfigPublicKey, parseConfigPublicKeys, parseConfigSigningKey, parseKeySetting,
  serializeSnapshot, signSnapshot, verifySnapshot, type SignedSnapshot, type VerifyResult,
} from "./signing";
export { encodeSignedSnapshot, decodeSignedSnapshot, decodeSignedSnapshotAsync } from "./envelope";
export { serializeSnapshotChunked } from "./chunked-hash";
export {
  applyDeltaHashed, bucketOf, buildHashTree, buildHashTreeAsync, snapshotHash, BUCKETS, type HashedSnapshot, type HashTree,
} from "./hash-tree";
export { applyDelta, diffSnapshots, keyedSections, type KeyedSection, type SectionChanges, type SnapshotDelta } from "./delta";
export { parseAnnouncement, verifyAnnouncement, type ConfigAnnouncement } from "./announcement";
export {
  announceSnapshot, createConfigPublisher, publishConfig,
  type AnnounceSnapshotOptions, type ConfigPublisher, type PublishConfigOptions, type PublishConfigResult, type PublishPhase,
} from "./publisher";
export { latestStoredVersion, loadLatestSignedSnapshot, loadSignedSnapshot } from "./snapshot-store";
export { readSignedCache, signedCachePath, writeSignedCache } from "./signed-cache";
export { startConfigSubscriber, type ConfigAlert, type ConfigSubscriber, type ConfigSubscriberOptions } from "./subscriber";
export type { SnapshotSource } from "./snapshot-sources";
export { configDependencyStatus, describeConfigStatus, type ConfigSyncStatus } from "./sync-status";
export { readFleetStatus, startFleetReporter, summarizeFleet, type FleetReporter, type CircuitSummary, type FleetReporterOptions, type FleetStatus, type NodeReport } from "./fleet";
