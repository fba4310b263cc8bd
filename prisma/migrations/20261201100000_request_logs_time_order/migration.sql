-- The request-log explorer lists a time range newest first (created_at DESC, seq DESC): this index
-- serves that order directly. latency_ms rides along so that one-day counts and latency
-- aggregates (the overview's) are index-only scans of that day's entries.
-- CreateIndex
CREATE INDEX "request_logs_created_at_seq_latency_ms_idx" ON "request_logs"("created_at", "seq", "latency_ms");
