import { z } from "@hono/zod-openapi";

/** `limit` and `cursor` query fields shared by every cursor-paged listing. */
export function pageQueryFields(limits: { max: number; default: number }) {
  return {
    limit: z.coerce.number().int().min(1).max(limits.max).default(limits.default),
    cursor: z.string().min(1).max(500).optional().openapi({ description: "`next_cursor` of the previous page" }),
  };
}

/** The `{ data, next_cursor }` page shape, registered in OpenAPI under `name`. */
export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last" }),
    })
    .openapi(name);
}

/** A 200 response carrying one page of `item`. */
export function pageResponse<T extends z.ZodType>(item: T, name: string) {
  return { description: "One page", content: { "application/json": { schema: pageSchema(item, name) } } };
}
