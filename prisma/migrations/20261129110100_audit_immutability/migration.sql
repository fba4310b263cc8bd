-- Hand-written: what schema.prisma cannot express. `prisma migrate diff` ignores CHECK
-- constraints, triggers, grants and expression indexes, so later generated migrations keep them.
-- Must run on PostgreSQL 15+ and on PGlite 0.5.x (PostgreSQL 18 in WASM).

-- ───────── audit tables are append-only ─────────
-- Statement-level triggers: they fire even when no row matches, so any attempt is refused.
-- A superuser can still disable triggers; signed audit_checkpoints make that detectable.
CREATE OR REPLACE FUNCTION portcullis_refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'portcullis: % is append-only; % is refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit records can only be inserted (through appendAuditEvent).';
END;
$$;

CREATE TRIGGER audit_events_refuse_update_delete
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION portcullis_refuse_audit_change();
CREATE TRIGGER audit_events_refuse_truncate
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION portcullis_refuse_audit_change();
CREATE TRIGGER audit_checkpoints_refuse_update_delete
  BEFORE UPDATE OR DELETE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION portcullis_refuse_audit_change();
CREATE TRIGGER audit_checkpoints_refuse_truncate
  BEFORE TRUNCATE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION portcullis_refuse_audit_change();

ALTER TABLE "audit_events"
  ADD CONSTRAINT "audit_events_hash_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$' AND "prev_hash" ~ '^[0-9a-f]{64}$');
ALTER TABLE "audit_checkpoints"
  ADD CONSTRAINT "audit_checkpoints_head_hash_hex" CHECK ("head_hash" ~ '^[0-9a-f]{64}$');

-- ───────── application role ─────────
-- The running services connect as a LOGIN role that is a member of portcullis_app, e.g.
--   CREATE ROLE portcullis LOGIN PASSWORD '...' IN ROLE portcullis_app;
-- Roles are cluster-wide: another database may have created it already (or concurrently).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portcullis_app') THEN
    CREATE ROLE portcullis_app NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO portcullis_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO portcullis_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO portcullis_app;
-- Tables created by later migrations (run by this same migrating role) get the same grants;
-- a later append-only table must REVOKE UPDATE, DELETE explicitly.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO portcullis_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO portcullis_app;
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events", "audit_checkpoints" FROM portcullis_app;
DO $$
BEGIN
  -- Migration bookkeeping (present when applied by Prisma or src/migrate.ts) is read-only to the app.
  IF to_regclass('public._prisma_migrations') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE public._prisma_migrations FROM portcullis_app;
  END IF;
END
$$;

-- ───────── integrity rules Prisma cannot express ─────────
-- A provider key holds its credential either as a secret reference or encrypted, never both or none.
ALTER TABLE "provider_keys" ADD CONSTRAINT "provider_keys_credential_one"
  CHECK (("credential_ref" IS NULL) <> ("encrypted_credential" IS NULL));
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_owner_one"
  CHECK (("user_id" IS NULL) <> ("service_account_id" IS NULL));
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_subject_one"
  CHECK (("user_id" IS NULL) <> ("service_account_id" IS NULL));
ALTER TABLE "mcp_tool_permissions" ADD CONSTRAINT "mcp_tool_permissions_subject_one"
  CHECK (("virtual_key_id" IS NULL) <> ("team_id" IS NULL));
-- Emails are compared case-insensitively: app code lower-cases them before writing.
ALTER TABLE "users" ADD CONSTRAINT "users_email_lower" CHECK ("email" = lower("email"));
ALTER TABLE "config_state" ADD CONSTRAINT "config_state_single_row" CHECK ("id" = 1);

-- scope_id matches its scope_type: '' for global, a typed id for rows, any non-empty tenant id.
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_scope_id" CHECK (CASE "scope_type"
  WHEN 'global' THEN "scope_id" = '' WHEN 'customer' THEN "scope_id" LIKE 'cus\_%'
  WHEN 'team' THEN "scope_id" LIKE 'team\_%' WHEN 'virtual_key' THEN "scope_id" LIKE 'vk\_%'
  WHEN 'provider_key' THEN "scope_id" LIKE 'pk\_%' WHEN 'tenant' THEN "scope_id" <> '' END);
ALTER TABLE "rate_limits" ADD CONSTRAINT "rate_limits_scope_id" CHECK (CASE "scope_type"
  WHEN 'global' THEN "scope_id" = '' WHEN 'customer' THEN "scope_id" LIKE 'cus\_%'
  WHEN 'team' THEN "scope_id" LIKE 'team\_%' WHEN 'virtual_key' THEN "scope_id" LIKE 'vk\_%'
  WHEN 'provider_key' THEN "scope_id" LIKE 'pk\_%' WHEN 'tenant' THEN "scope_id" <> '' END);
ALTER TABLE "guardrail_policies" ADD CONSTRAINT "guardrail_policies_scope_id" CHECK (CASE "scope_type"
  WHEN 'global' THEN "scope_id" = '' WHEN 'customer' THEN "scope_id" LIKE 'cus\_%'
  WHEN 'team' THEN "scope_id" LIKE 'team\_%' WHEN 'virtual_key' THEN "scope_id" LIKE 'vk\_%'
  WHEN 'provider_key' THEN "scope_id" LIKE 'pk\_%' WHEN 'tenant' THEN "scope_id" <> '' END);

ALTER TABLE "budgets" ADD CONSTRAINT "budgets_limits"
  CHECK ("limit_micros" >= 0 AND "soft_threshold_pct" BETWEEN 1 AND 100);
ALTER TABLE "rate_limits" ADD CONSTRAINT "rate_limits_limits"
  CHECK (("rpm" IS NOT NULL OR "tpm" IS NOT NULL) AND coalesce("rpm", 1) > 0
         AND coalesce("tpm", 1) > 0 AND "window_seconds" > 0);

-- Uniqueness over nullable columns (NULL = global / none). Expression indexes, because
-- `migrate diff` leaves them alone while it would drop a NULLS NOT DISTINCT index.
CREATE UNIQUE INDEX "role_bindings_subject_role_team_key" ON "role_bindings"
  (coalesce("user_id", "service_account_id"), "role_id", coalesce("team_id", ''));
CREATE UNIQUE INDEX "idp_group_mappings_group_role_team_key" ON "idp_group_mappings"
  ("group_name", "role_id", coalesce("team_id", ''));
CREATE UNIQUE INDEX "mcp_tool_permissions_server_tool_subject_key" ON "mcp_tool_permissions"
  ("mcp_server_id", "tool_name", coalesce("virtual_key_id", ''), coalesce("team_id", ''));

-- ───────── seed ─────────
-- The configuration version counter (bumpConfigVersion updates this row). Built-in roles are
-- seeded by app code at boot, from the permission catalog in @portcullis/policy.
INSERT INTO "config_state" ("id", "version", "updated_at") VALUES (1, 0, now()) ON CONFLICT ("id") DO NOTHING;
