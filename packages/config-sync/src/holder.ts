/**
 * Holds the gateway's current compiled configuration. A swap replaces the whole
 * object, so a request that read `current()` once sees one version throughout.
 */
export interface ConfigHolder<S extends { version: string }> {
  current(): S | undefined;
  swap(next: S): void;
  onSwap(listener: (next: S, previous: S | undefined) => void): () => void;
}

export function createConfigHolder<S extends { version: string }>(initial?: S): ConfigHolder<S> {
  let snapshot = initial;
  const listeners = new Set<(next: S, previous: S | undefined) => void>();
  return {
    current: () => snapshot,
    swap(next) {
      const previous = snapshot;
      snapshot = next;
      for (const l of listeners) l(next, previous);
    },
    onSwap(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
