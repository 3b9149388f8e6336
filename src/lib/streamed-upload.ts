/**
 * Requests whose body is streamed by their route (benchmark dataset uploads, up to
 * DATASET_BODY_LIMIT_BYTES): the default body limit, input hygiene and idempotency never buffer them.
 */
export function isStreamedUpload(method: string, path: string): boolean {
  return method === "POST" && path === "/v1/datasets";
}

/** The console's dataset upload form (multipart): DATASET_BODY_LIMIT_BYTES applies, not BODY_LIMIT_BYTES. */
export const CONSOLE_DATASET_UPLOAD = "/ui/datasets/upload";
