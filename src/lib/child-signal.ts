/**
 * Runs `fn` with a short-lived controller whose signal aborts, with the parent's reason, when
 * `parent` does; `fn` may abort it itself (e.g. to cancel siblings after a failure). Callers hold
 * long-lived signals (a training run's, an evaluation's) across thousands of requests, and
 * composing one with AbortSignal.any per request (as we did, and as the openai SDK does with any
 * signal it is given) leaves every composition registered on it in Node, slowing each later call.
 * A plain listener removed when `fn` settles leaves nothing behind on the parent.
 */
export async function withChildSignal<T>(
  parent: AbortSignal | undefined,
  fn: (child: AbortController) => Promise<T>,
): Promise<T> {
  const child = new AbortController();
  if (!parent) return fn(child);
  const onAbort = () => child.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener("abort", onAbort, { once: true });
  try {
    return await fn(child);
  } finally {
    parent.removeEventListener("abort", onAbort);
  }
}
