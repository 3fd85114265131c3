/**
 * Runs `work` over `items` with at most `limit` in flight, and returns one result per item, in item order.
 * Once `stopped()` says so (an aborted signal, an engine that went away), no further item starts: each item
 * never started gets `notStarted(item)` instead. Every store verb that fans out (the engine store's tags, pulls and
 * pushes, the registry store's reads and copies) uses this one helper. Pure: it starts no timer and reads no clock.
 *
 * @example
 * const stop = new AbortController();
 * const doubled = await mapBounded([1, 2, 3], { limit: 2, stopped: () => stop.signal.aborted }, async (n) => n * 2, () => 0); // [2, 4, 6]
 */
export const mapBounded = async <A, B>(
  items: readonly A[],
  options: { readonly limit: number; readonly stopped?: () => boolean },
  work: (item: A, index: number) => Promise<B>,
  notStarted: (item: A, index: number) => B,
): Promise<B[]> => {
  const stopped = options.stopped ?? (() => false);
  // NaN would make no worker at all and mark every item not started: any limit below one runs one at a time.
  const limit = Number.isNaN(options.limit) ? 1 : Math.max(1, Math.floor(options.limit));
  const results = new Array<B>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stopped()) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as A, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  for (let index = next; index < items.length; index++) results[index] = notStarted(items[index] as A, index);
  return results;
};
