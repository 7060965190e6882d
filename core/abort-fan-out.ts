// One "abort" listener per signal however many waits listen to it; each wait joins and leaves a Set.
// Node's EventTarget walks its listener list to add or remove one: with a thousand hosts waiting on
// the crawl's one stop signal, every wait paid for all the others.

const waiters = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` once when `signal` aborts (not if it already has: check first); returns the unsubscribe. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let set = waiters.get(signal);
  if (!set) {
    const fns = new Set<() => void>();
    waiters.set(signal, fns);
    signal.addEventListener(
      "abort",
      () => {
        const all = [...fns];
        fns.clear();
        for (const f of all) {
          try {
            f();
          } catch (err) {
            // As an EventTarget listener's exception would: reported, and the other waits still told.
            queueMicrotask(() => {
              throw err;
            });
          }
        }
      },
      { once: true },
    );
    set = fns;
  }
  const fns = set;
  fns.add(fn);
  return () => {
    fns.delete(fn);
  };
}
