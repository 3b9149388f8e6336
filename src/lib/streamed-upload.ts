/**
 * Requests whose body is streamed by their route (benchmark dataset uploads, up to
 * DATASET_BODY_LIMIT_BYTES): the default body limit, input hygiene and idempotency never buffer them.
 */
export function isStreamedUpload(method: string, path: string): boolean {
  return method === "POST" && path === "/v1/datasets";
}
