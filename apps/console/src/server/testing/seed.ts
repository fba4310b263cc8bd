import { newId } from "@portcullis/core";
import type { PrismaClient } from "@portcullis/db";
import { builtInRoleNames, builtInRoles, type BuiltInRoleName } from "@portcullis/policy";

/**
 * Test helper: the built-in roles as the launcher and `portcullis migrate` store them.
 * Returns their ids by name.
 */
export async function ensureBuiltInRoles(prisma: PrismaClient): Promise<Record<BuiltInRoleName, string>> {
  const ids = {} as Record<BuiltInRoleName, string>;
  for (const name of builtInRoleNames) {
    const role = await prisma.role.upsert({
      where: { name },
      create: { id: newId("role"), name, builtIn: true, permissions: [...builtInRoles[name]], description: `Built-in ${name} role` },
      update: { permissions: [...builtInRoles[name]], builtIn: true },
      select: { id: true },
    });
    ids[name] = role.id;
  }
  return ids;
}
