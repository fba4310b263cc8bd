-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "user_status" AS ENUM ('active', 'disabled');

-- CreateEnum
CREATE TYPE "assignment_source" AS ENUM ('manual', 'idp');

-- CreateEnum
CREATE TYPE "environment" AS ENUM ('dev', 'staging', 'prod');

-- CreateEnum
CREATE TYPE "virtual_key_status" AS ENUM ('active', 'disabled', 'revoked');

-- CreateEnum
CREATE TYPE "policy_scope" AS ENUM ('global', 'customer', 'team', 'virtual_key', 'provider_key', 'tenant');

-- CreateEnum
CREATE TYPE "budget_period" AS ENUM ('day', 'week', 'month', 'quarter', 'year', 'lifetime');

-- CreateEnum
CREATE TYPE "guardrail_mode" AS ENUM ('block', 'redact', 'log');

-- CreateEnum
CREATE TYPE "guardrail_stage" AS ENUM ('input', 'output');

-- CreateEnum
CREATE TYPE "mcp_transport" AS ENUM ('streamable_http', 'sse');

-- CreateEnum
CREATE TYPE "tenant_validation" AS ENUM ('exact', 'regex');

-- CreateEnum
CREATE TYPE "audit_actor_type" AS ENUM ('user', 'service_account', 'virtual_key', 'system');

-- CreateEnum
CREATE TYPE "audit_outcome" AS ENUM ('success', 'failure', 'denied');

-- CreateEnum
CREATE TYPE "request_outcome" AS ENUM ('success', 'error', 'denied', 'incomplete');

-- CreateEnum
CREATE TYPE "export_sink_kind" AS ENUM ('syslog', 'webhook', 'file', 'otlp');

-- CreateEnum
CREATE TYPE "export_stream" AS ENUM ('audit', 'requests');

-- CreateTable
CREATE TABLE "customers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "external_id" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "teams" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT,
    "customer_id" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "status" "user_status" NOT NULL DEFAULT 'active',
    "disabled_at" TIMESTAMPTZ(3),
    "idp_subject" TEXT,
    "is_bootstrap_admin" BOOLEAN NOT NULL DEFAULT false,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roles" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "permissions" TEXT[],
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "roles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role_bindings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT,
    "service_account_id" TEXT,
    "role_id" TEXT NOT NULL,
    "team_id" TEXT,
    "source" "assignment_source" NOT NULL DEFAULT 'manual',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "role_bindings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idp_group_mappings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "group_name" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    "team_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idp_group_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team_memberships" (
    "team_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "source" "assignment_source" NOT NULL DEFAULT 'manual',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_memberships_pkey" PRIMARY KEY ("team_id","user_id")
);

-- CreateTable
CREATE TABLE "console_sessions" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3),
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "console_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bootstrap_tokens" (
    "id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bootstrap_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_accounts" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "team_id" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "service_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "user_id" TEXT,
    "service_account_id" TEXT,
    "scopes" TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "virtual_keys" (
    "id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "virtual_key_status" NOT NULL DEFAULT 'active',
    "environment" "environment" NOT NULL DEFAULT 'prod',
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "team_id" TEXT,
    "customer_id" TEXT,
    "owner_user_id" TEXT,
    "service_account_id" TEXT,
    "allowed_providers" TEXT[],
    "allowed_models" TEXT[],
    "blocked_models" TEXT[],
    "allowed_endpoints" TEXT[],
    "ip_allow_list" TEXT[],
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "rotated_from_id" TEXT,
    "grace_expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "virtual_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "virtual_key_bindings" (
    "virtual_key_id" TEXT NOT NULL,
    "environment" "environment" NOT NULL,
    "provider_key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "virtual_key_bindings_pkey" PRIMARY KEY ("virtual_key_id","environment","provider_key_id")
);

-- CreateTable
CREATE TABLE "budgets" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "scope_type" "policy_scope" NOT NULL,
    "scope_id" TEXT NOT NULL DEFAULT '',
    "limit_micros" BIGINT NOT NULL,
    "period" "budget_period" NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "calendar_aligned" BOOLEAN NOT NULL DEFAULT true,
    "soft_threshold_pct" INTEGER NOT NULL DEFAULT 80,
    "alert_webhook_url" TEXT,
    "current_period_start" TIMESTAMPTZ(3) NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget_period_spend" (
    "budget_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3),
    "spent_micros" BIGINT NOT NULL DEFAULT 0,
    "soft_alert_sent_at" TIMESTAMPTZ(3),
    "exhausted_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budget_period_spend_pkey" PRIMARY KEY ("budget_id","period_start")
);

-- CreateTable
CREATE TABLE "rate_limits" (
    "id" TEXT NOT NULL,
    "scope_type" "policy_scope" NOT NULL,
    "scope_id" TEXT NOT NULL DEFAULT '',
    "rpm" INTEGER,
    "tpm" INTEGER,
    "window_seconds" INTEGER NOT NULL DEFAULT 60,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "providers" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "base_url" TEXT,
    "region" TEXT,
    "api_version" TEXT,
    "project" TEXT,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_keys" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "environment" "environment" NOT NULL DEFAULT 'prod',
    "credential_ref" TEXT,
    "encrypted_credential" TEXT,
    "models" TEXT[],
    "deployments" JSONB NOT NULL DEFAULT '{}',
    "weight" INTEGER NOT NULL DEFAULT 1,
    "region" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_tested_at" TIMESTAMPTZ(3),
    "last_test_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "provider_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_prices" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "input_per_mtok" DECIMAL(20,10) NOT NULL,
    "output_per_mtok" DECIMAL(20,10) NOT NULL,
    "cache_read_per_mtok" DECIMAL(20,10),
    "cache_write_per_mtok" DECIMAL(20,10),
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_prices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_aliases" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "alias" TEXT NOT NULL,
    "provider" TEXT,
    "model" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "model_aliases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "routing_rules" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "match" JSONB NOT NULL DEFAULT '{}',
    "strategy" JSONB NOT NULL DEFAULT '{}',
    "targets" JSONB NOT NULL DEFAULT '[]',
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "routing_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guardrail_policies" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "mode" "guardrail_mode" NOT NULL DEFAULT 'block',
    "stage" "guardrail_stage" NOT NULL DEFAULT 'input',
    "fail_open" BOOLEAN NOT NULL DEFAULT false,
    "scope_type" "policy_scope" NOT NULL DEFAULT 'global',
    "scope_id" TEXT NOT NULL DEFAULT '',
    "priority" INTEGER NOT NULL DEFAULT 100,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "guardrail_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mcp_servers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "transport" "mcp_transport" NOT NULL DEFAULT 'streamable_http',
    "auth_ref" TEXT,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mcp_servers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mcp_tool_permissions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mcp_server_id" TEXT NOT NULL,
    "tool_name" TEXT NOT NULL,
    "virtual_key_id" TEXT,
    "team_id" TEXT,
    "allow" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mcp_tool_permissions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_policies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "header_name" TEXT NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT true,
    "validation" "tenant_validation" NOT NULL DEFAULT 'regex',
    "value" TEXT,
    "jwt_key_ref" TEXT,
    "jwt_claim" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenant_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" "audit_actor_type" NOT NULL,
    "actor_id" TEXT,
    "actor_label" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "ip" TEXT,
    "user_agent" TEXT,
    "request_id" TEXT,
    "outcome" "audit_outcome" NOT NULL DEFAULT 'success',
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "seq" BIGINT NOT NULL,
    "head_hash" CHAR(64) NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "request_logs" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "virtual_key_id" TEXT,
    "team_id" TEXT,
    "customer_id" TEXT,
    "tenant_id" TEXT,
    "user_label" TEXT,
    "endpoint" TEXT NOT NULL,
    "model_requested" TEXT,
    "provider" TEXT,
    "provider_key_id" TEXT,
    "model_used" TEXT,
    "stream" BOOLEAN NOT NULL DEFAULT false,
    "params" JSONB NOT NULL DEFAULT '{}',
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cached_read_tokens" INTEGER NOT NULL DEFAULT 0,
    "cached_write_tokens" INTEGER NOT NULL DEFAULT 0,
    "latency_ms" INTEGER,
    "ttft_ms" INTEGER,
    "cost_micros" BIGINT NOT NULL DEFAULT 0,
    "outcome" "request_outcome" NOT NULL,
    "error_code" TEXT,
    "status" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "fallback_path" TEXT[],
    "guardrails" JSONB,
    "request_body" JSONB,
    "response_body" JSONB,
    "metadata" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "request_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_daily" (
    "day" DATE NOT NULL,
    "virtual_key_id" TEXT NOT NULL DEFAULT '',
    "team_id" TEXT NOT NULL DEFAULT '',
    "customer_id" TEXT NOT NULL DEFAULT '',
    "tenant_id" TEXT NOT NULL DEFAULT '',
    "provider" TEXT NOT NULL DEFAULT '',
    "model" TEXT NOT NULL DEFAULT '',
    "requests" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cached_read_tokens" BIGINT NOT NULL DEFAULT 0,
    "cached_write_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_micros" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("day","virtual_key_id","team_id","customer_id","tenant_id","provider","model")
);

-- CreateTable
CREATE TABLE "config_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "config_state_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "config_snapshots" (
    "version" BIGINT NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" TEXT,
    "compiled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "size" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "config_snapshots_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "export_sinks" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "export_sink_kind" NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "streams" "export_stream"[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "export_sinks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "export_cursors" (
    "sink_id" TEXT NOT NULL,
    "stream" "export_stream" NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    "last_id" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_success_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "export_cursors_pkey" PRIMARY KEY ("sink_id","stream")
);

-- CreateTable
CREATE TABLE "export_dead_letters" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "sink_id" TEXT NOT NULL,
    "stream" "export_stream" NOT NULL,
    "record_seq" BIGINT NOT NULL,
    "record_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "export_dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customers_external_id_key" ON "customers"("external_id");

-- CreateIndex
CREATE UNIQUE INDEX "teams_slug_key" ON "teams"("slug");

-- CreateIndex
CREATE INDEX "teams_customer_id_idx" ON "teams"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "users_idp_subject_key" ON "users"("idp_subject");

-- CreateIndex
CREATE UNIQUE INDEX "roles_name_key" ON "roles"("name");

-- CreateIndex
CREATE INDEX "role_bindings_user_id_idx" ON "role_bindings"("user_id");

-- CreateIndex
CREATE INDEX "role_bindings_service_account_id_idx" ON "role_bindings"("service_account_id");

-- CreateIndex
CREATE INDEX "role_bindings_role_id_idx" ON "role_bindings"("role_id");

-- CreateIndex
CREATE INDEX "role_bindings_team_id_idx" ON "role_bindings"("team_id");

-- CreateIndex
CREATE INDEX "idp_group_mappings_group_name_idx" ON "idp_group_mappings"("group_name");

-- CreateIndex
CREATE INDEX "team_memberships_user_id_idx" ON "team_memberships"("user_id");

-- CreateIndex
CREATE INDEX "console_sessions_user_id_idx" ON "console_sessions"("user_id");

-- CreateIndex
CREATE INDEX "console_sessions_expires_at_idx" ON "console_sessions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "bootstrap_tokens_token_hash_key" ON "bootstrap_tokens"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "service_accounts_name_key" ON "service_accounts"("name");

-- CreateIndex
CREATE INDEX "service_accounts_team_id_idx" ON "service_accounts"("team_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE INDEX "api_tokens_service_account_id_idx" ON "api_tokens"("service_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "virtual_keys_key_hash_key" ON "virtual_keys"("key_hash");

-- CreateIndex
CREATE INDEX "virtual_keys_team_id_idx" ON "virtual_keys"("team_id");

-- CreateIndex
CREATE INDEX "virtual_keys_customer_id_idx" ON "virtual_keys"("customer_id");

-- CreateIndex
CREATE INDEX "virtual_keys_owner_user_id_idx" ON "virtual_keys"("owner_user_id");

-- CreateIndex
CREATE INDEX "virtual_keys_service_account_id_idx" ON "virtual_keys"("service_account_id");

-- CreateIndex
CREATE INDEX "virtual_keys_rotated_from_id_idx" ON "virtual_keys"("rotated_from_id");

-- CreateIndex
CREATE INDEX "virtual_key_bindings_provider_key_id_idx" ON "virtual_key_bindings"("provider_key_id");

-- CreateIndex
CREATE UNIQUE INDEX "budgets_scope_type_scope_id_period_key" ON "budgets"("scope_type", "scope_id", "period");

-- CreateIndex
CREATE UNIQUE INDEX "rate_limits_scope_type_scope_id_window_seconds_key" ON "rate_limits"("scope_type", "scope_id", "window_seconds");

-- CreateIndex
CREATE UNIQUE INDEX "providers_name_key" ON "providers"("name");

-- CreateIndex
CREATE UNIQUE INDEX "provider_keys_provider_id_name_key" ON "provider_keys"("provider_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "model_prices_provider_model_effective_from_key" ON "model_prices"("provider", "model", "effective_from");

-- CreateIndex
CREATE UNIQUE INDEX "model_aliases_alias_key" ON "model_aliases"("alias");

-- CreateIndex
CREATE UNIQUE INDEX "routing_rules_name_key" ON "routing_rules"("name");

-- CreateIndex
CREATE INDEX "routing_rules_priority_idx" ON "routing_rules"("priority");

-- CreateIndex
CREATE UNIQUE INDEX "guardrail_policies_name_key" ON "guardrail_policies"("name");

-- CreateIndex
CREATE INDEX "guardrail_policies_scope_type_scope_id_idx" ON "guardrail_policies"("scope_type", "scope_id");

-- CreateIndex
CREATE UNIQUE INDEX "mcp_servers_name_key" ON "mcp_servers"("name");

-- CreateIndex
CREATE INDEX "mcp_tool_permissions_mcp_server_id_idx" ON "mcp_tool_permissions"("mcp_server_id");

-- CreateIndex
CREATE INDEX "mcp_tool_permissions_virtual_key_id_idx" ON "mcp_tool_permissions"("virtual_key_id");

-- CreateIndex
CREATE INDEX "mcp_tool_permissions_team_id_idx" ON "mcp_tool_permissions"("team_id");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_policies_name_key" ON "tenant_policies"("name");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_seq_key" ON "audit_events"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_prev_hash_key" ON "audit_events"("prev_hash");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events"("hash");

-- CreateIndex
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events"("occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_action_occurred_at_idx" ON "audit_events"("action", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_occurred_at_idx" ON "audit_events"("actor_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_target_type_target_id_idx" ON "audit_events"("target_type", "target_id");

-- CreateIndex
CREATE UNIQUE INDEX "request_logs_seq_key" ON "request_logs"("seq");

-- CreateIndex
CREATE INDEX "request_logs_created_at_brin" ON "request_logs" USING BRIN ("created_at" timestamptz_minmax_ops);

-- CreateIndex
CREATE INDEX "request_logs_virtual_key_id_created_at_idx" ON "request_logs"("virtual_key_id", "created_at");

-- CreateIndex
CREATE INDEX "request_logs_team_id_created_at_idx" ON "request_logs"("team_id", "created_at");

-- CreateIndex
CREATE INDEX "request_logs_customer_id_created_at_idx" ON "request_logs"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "request_logs_model_used_created_at_idx" ON "request_logs"("model_used", "created_at");

-- CreateIndex
CREATE INDEX "request_logs_outcome_created_at_idx" ON "request_logs"("outcome", "created_at");

-- CreateIndex
CREATE INDEX "usage_daily_team_id_day_idx" ON "usage_daily"("team_id", "day");

-- CreateIndex
CREATE INDEX "usage_daily_customer_id_day_idx" ON "usage_daily"("customer_id", "day");

-- CreateIndex
CREATE UNIQUE INDEX "export_sinks_name_key" ON "export_sinks"("name");

-- CreateIndex
CREATE INDEX "export_dead_letters_sink_id_created_at_idx" ON "export_dead_letters"("sink_id", "created_at");

-- AddForeignKey
ALTER TABLE "teams" ADD CONSTRAINT "teams_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_service_account_id_fkey" FOREIGN KEY ("service_account_id") REFERENCES "service_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idp_group_mappings" ADD CONSTRAINT "idp_group_mappings_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idp_group_mappings" ADD CONSTRAINT "idp_group_mappings_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_memberships" ADD CONSTRAINT "team_memberships_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_memberships" ADD CONSTRAINT "team_memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "console_sessions" ADD CONSTRAINT "console_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_accounts" ADD CONSTRAINT "service_accounts_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_service_account_id_fkey" FOREIGN KEY ("service_account_id") REFERENCES "service_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_owner_user_id_fkey" FOREIGN KEY ("owner_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_service_account_id_fkey" FOREIGN KEY ("service_account_id") REFERENCES "service_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_rotated_from_id_fkey" FOREIGN KEY ("rotated_from_id") REFERENCES "virtual_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "virtual_key_bindings" ADD CONSTRAINT "virtual_key_bindings_virtual_key_id_fkey" FOREIGN KEY ("virtual_key_id") REFERENCES "virtual_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "virtual_key_bindings" ADD CONSTRAINT "virtual_key_bindings_provider_key_id_fkey" FOREIGN KEY ("provider_key_id") REFERENCES "provider_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "budget_period_spend" ADD CONSTRAINT "budget_period_spend_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "budgets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_keys" ADD CONSTRAINT "provider_keys_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mcp_tool_permissions" ADD CONSTRAINT "mcp_tool_permissions_mcp_server_id_fkey" FOREIGN KEY ("mcp_server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mcp_tool_permissions" ADD CONSTRAINT "mcp_tool_permissions_virtual_key_id_fkey" FOREIGN KEY ("virtual_key_id") REFERENCES "virtual_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mcp_tool_permissions" ADD CONSTRAINT "mcp_tool_permissions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_cursors" ADD CONSTRAINT "export_cursors_sink_id_fkey" FOREIGN KEY ("sink_id") REFERENCES "export_sinks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_dead_letters" ADD CONSTRAINT "export_dead_letters_sink_id_fkey" FOREIGN KEY ("sink_id") REFERENCES "export_sinks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

