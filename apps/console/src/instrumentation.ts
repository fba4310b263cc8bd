/** Runs once when the console's server starts, before it takes requests. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootConsole } = await import("./server/boot");
  bootConsole();
}
