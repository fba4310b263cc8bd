-- Audit retention: archive a signed prefix of the chain, then prune it, through ONE controlled path.
-- Export cursors: a lease (one exporter per sink and stream across worker replicas) and backoff.
-- Generated part (prisma migrate diff) first, then the hand-written rules it cannot express.

-- CreateTable
CREATE TABLE "audit_archives" (
    "checkpoint_seq" BIGINT NOT NULL,
    "from_seq" BIGINT NOT NULL,
    "start_prev_hash" CHAR(64) NOT NULL,
    "head_hash" CHAR(64) NOT NULL,
    "event_count" BIGINT NOT NULL,
    "cutoff" TIMESTAMPTZ(3) NOT NULL,
    "file_name" TEXT NOT NULL,
    "file_sha256" CHAR(64) NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_archives_pkey" PRIMARY KEY ("checkpoint_seq")
);

-- AlterTable
ALTER TABLE "export_cursors" ADD COLUMN     "lease_owner" TEXT,
ADD COLUMN     "lease_until" TIMESTAMPTZ(3),
ADD COLUMN     "retry_at" TIMESTAMPTZ(3);

-- ───────── hand-written ─────────
-- How pruning stays controlled (`portcullis audit archive`, apps/worker/src/audit/archive.ts):
--  1. A signed checkpoint exists at seq S and its head hash is the stored hash of row S.
--  2. The archive file of rows ..S is written and fsynced, and its manifest signed.
--  3. In ONE transaction: INSERT the audit_archives row (the trigger below checks it against
--     the checkpoint, the chain and the previous archive), SET LOCAL portcullis.audit_archive = S,
--     DELETE FROM audit_events WHERE seq < S.
-- Event S itself stays (it is in the archive too): it is the stored head new events link to, and
-- the next archive removes it. The DELETE guard refuses any row without that setting, any row at
-- or above S, and any S without a recorded archive. So no DELETE can ever remove an event that
-- is not in a signed archive, and the remaining chain always starts at a signed head hash. The setting alone grants nothing:
-- portcullis_app still has no DELETE privilege, so pruning needs the owner role as well.
-- UPDATE and TRUNCATE stay refused for everyone; a superuser disabling triggers remains
-- detectable by `portcullis audit verify` (hashes and signed checkpoints).

DROP TRIGGER "audit_events_refuse_update_delete" ON "audit_events";
CREATE TRIGGER "audit_events_refuse_update"
  BEFORE UPDATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION portcullis_refuse_audit_change();

CREATE OR REPLACE FUNCTION portcullis_guard_audit_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  archived_seq bigint := nullif(current_setting('portcullis.audit_archive', true), '')::bigint;
BEGIN
  IF archived_seq IS NULL THEN
    RAISE EXCEPTION 'portcullis: % is append-only; % is refused', TG_TABLE_NAME, TG_OP
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Old audit events leave only through `portcullis audit archive`.';
  END IF;
  IF OLD."seq" >= archived_seq THEN
    RAISE EXCEPTION 'portcullis: audit event % (seq %) is not before archived checkpoint %', OLD."id", OLD."seq", archived_seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "audit_archives" WHERE "checkpoint_seq" = archived_seq) THEN
    RAISE EXCEPTION 'portcullis: no audit archive is recorded for checkpoint %', archived_seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$;

CREATE TRIGGER "audit_events_guard_delete"
  BEFORE DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION portcullis_guard_audit_delete();

-- An archive must describe the chain as it is: a signed checkpoint whose head hash is the
-- stored hash of its row, starting where the chain currently starts, after the last archive.
CREATE OR REPLACE FUNCTION portcullis_check_audit_archive() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  checkpoint_hash text;
  row_hash text;
  first_prev text;
  first_seq bigint;
  last_archived bigint;
BEGIN
  SELECT "head_hash" INTO checkpoint_hash FROM "audit_checkpoints" WHERE "seq" = NEW."checkpoint_seq";
  SELECT "hash" INTO row_hash FROM "audit_events" WHERE "seq" = NEW."checkpoint_seq";
  IF checkpoint_hash IS DISTINCT FROM NEW."head_hash" OR row_hash IS DISTINCT FROM NEW."head_hash" THEN
    RAISE EXCEPTION 'portcullis: archive head % does not match checkpoint % and its event', NEW."head_hash", NEW."checkpoint_seq"
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT max("checkpoint_seq") INTO last_archived FROM "audit_archives";
  IF last_archived IS NOT NULL AND last_archived >= NEW."checkpoint_seq" THEN
    RAISE EXCEPTION 'portcullis: archives only move forward (last archived checkpoint %)', last_archived
      USING ERRCODE = 'check_violation';
  END IF;
  -- The first event not yet archived (the previous archive's head event is still stored).
  SELECT "seq", "prev_hash" INTO first_seq, first_prev FROM "audit_events"
   WHERE "seq" > coalesce(last_archived, 0) ORDER BY "seq" LIMIT 1;
  IF first_seq IS DISTINCT FROM NEW."from_seq" OR first_prev IS DISTINCT FROM NEW."start_prev_hash" THEN
    RAISE EXCEPTION 'portcullis: an archive must start at the first event not yet archived (seq %)', first_seq
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "audit_archives_check_insert"
  BEFORE INSERT ON "audit_archives"
  FOR EACH ROW EXECUTE FUNCTION portcullis_check_audit_archive();
CREATE TRIGGER "audit_archives_refuse_update_delete"
  BEFORE UPDATE OR DELETE ON "audit_archives"
  FOR EACH STATEMENT EXECUTE FUNCTION portcullis_refuse_audit_change();
CREATE TRIGGER "audit_archives_refuse_truncate"
  BEFORE TRUNCATE ON "audit_archives"
  FOR EACH STATEMENT EXECUTE FUNCTION portcullis_refuse_audit_change();

ALTER TABLE "audit_archives"
  ADD CONSTRAINT "audit_archives_hash_hex" CHECK ("head_hash" ~ '^[0-9a-f]{64}$' AND "start_prev_hash" ~ '^[0-9a-f]{64}$' AND "file_sha256" ~ '^[0-9a-f]{64}$');

REVOKE UPDATE, DELETE, TRUNCATE ON "audit_archives" FROM portcullis_app;
