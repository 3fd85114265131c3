/**
 * Runs `work` over `items` with at most `limit` in flight, and returns one result per item, in item order.
 * Once `stopped()` says so (an aborted signal, an engine that went away), no further item starts: each item
 * never started gets `notStarted(item)` instead. Every verb that fans out (apply's tags, pulls, pushes) uses it.
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
  const limit = Math.max(1, Math.floor(options.limit));
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
