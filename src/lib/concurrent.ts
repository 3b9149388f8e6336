/**
 * Runs `fn` over a paged source with at most `concurrency` items in flight. Pages are fetched on
 * demand, so memory holds one page plus the items in flight whatever the source's size, and a
 * slow item never holds back the others (no per-page barrier).
 */
export async function forEachConcurrent<T>(
  source: AsyncIterable<T>,
  concurrency: number,
  shouldStop: () => boolean,
  fn: (item: T) => Promise<void>,
): Promise<{ stopped: boolean; processed: number }> {
  const it = source[Symbol.asyncIterator]();
  const failure: { err?: unknown; failed: boolean } = { failed: false };
  let processed = 0;
  let exhausted = false;
  // Async generators serialise concurrent next() calls, but a plain iterator may not: one at a time.
  let pulling: Promise<unknown> = Promise.resolve();
  const pull = (): Promise<IteratorResult<T>> => {
    const next = pulling.then(() => it.next());
    pulling = next.catch(() => undefined);
    return next;
  };

  async function worker(): Promise<void> {
    while (!failure.failed && !exhausted && !shouldStop()) {
      const r = await pull();
      if (r.done) {
        exhausted = true;
        return;
      }
      try {
        await fn(r.value);
        processed += 1;
      } catch (err) {
        if (!failure.failed) Object.assign(failure, { failed: true, err });
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
  } finally {
    if (!exhausted) await it.return?.();
  }
  if (failure.failed) throw failure.err;
  return { stopped: !exhausted, processed };
}

/**
 * Items of a keyset-paged query, page after page. The next page is fetched while the current
 * one is being worked on, so workers never all stall at a page boundary. `fetchPage` returns
 * the items to work on and the cursor of the next page (null at the end); the two differ when a
 * page is filtered after it was read.
 */
export async function* paged<T>(fetchPage: (after: string | null) => Promise<{ items: T[]; next: string | null }>): AsyncGenerator<T> {
  let current = await fetchPage(null);
  for (;;) {
    const upcoming = current.next === null ? null : fetchPage(current.next);
    // A rejected prefetch must not go unhandled while this page is still being consumed.
    upcoming?.catch(() => undefined);
    for (const item of current.items) yield item;
    if (!upcoming) return;
    current = await upcoming;
  }
}

/** The usual page shape: items and the cursor after the last one, or null after a short page. */
export function keysetPage<T>(items: T[], pageSize: number, keyOf: (item: T) => string): { items: T[]; next: string | null } {
  return { items, next: items.length < pageSize ? null : keyOf(items.at(-1)!) };
}
