import { Hono } from "hono";
import { modelCatalog } from "@portcullis/core";
import { authorizeModel } from "@portcullis/policy";
import { isProviderType } from "@portcullis/providers";
import { protocol } from "../middleware/protocol";
import { virtualKeyAuth } from "../middleware/virtual-key-auth";

/** GET /v1/models — only the models the caller's key may use, as `provider/model`. */
export const modelsRoute = new Hono().get("/v1/models", protocol("openai"), virtualKeyAuth(), (c) => {
  const { key, snapshot } = c.get("auth");
  const bound = key.providerKeyIds.length ? new Set(key.providerKeyIds) : undefined;
  const seen = new Map<string, { id: string; object: "model"; created: number; owned_by: string }>();
  for (const pk of Object.values(snapshot.providerKeys)) {
    if (pk.environment !== key.environment || (bound && !bound.has(pk.id))) continue;
    const provider = snapshot.providers[pk.providerId];
    if (!provider) continue;
    const models = pk.models.length
      ? pk.models
      : isProviderType(provider.type)
        ? modelCatalog.filter((m) => m.provider === provider.type).map((m) => m.model)
        : [];
    for (const model of models) {
      const id = `${provider.name}/${model}`;
      if (seen.has(id) || authorizeModel(key, provider, model)) continue;
      seen.set(id, { id, object: "model", created: 0, owned_by: provider.name });
    }
  }
  for (const alias of Object.values(snapshot.aliases)) {
    const provider = Object.values(snapshot.providers).find((p) => p.name === alias.provider || p.type === alias.provider);
    if (provider && !authorizeModel(key, provider, alias.model)) {
      seen.set(alias.alias, { id: alias.alias, object: "model", created: 0, owned_by: provider.name });
    }
  }
  return c.json({ object: "list", data: [...seen.values()].sort((a, b) => a.id.localeCompare(b.id)) });
});
