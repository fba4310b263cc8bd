// Preloaded into the Prisma 6 CLI: its Wasm schema engine leaves a ~10 s timer pending after
// the command is done, which delays exit. Long timers must not keep the CLI alive.
const orig = globalThis.setTimeout;
globalThis.setTimeout = function (fn, ms, ...args) {
  const t = orig(fn, ms, ...args);
  if ((ms ?? 0) >= 5000 && t && typeof t.unref === "function") t.unref();
  return t;
};
