-- AlterTable
ALTER TABLE "tenant_policies" ADD COLUMN     "is_tenant" BOOLEAN NOT NULL DEFAULT false;

-- At most one tenant header.
CREATE UNIQUE INDEX "tenant_policies_one_tenant_header" ON "tenant_policies" ("is_tenant") WHERE "is_tenant";
