// Hono context of the web console: the API's variables plus the form token of this browser.
import type { AppEnv } from "../app-types";

export interface UiEnv {
  Variables: AppEnv["Variables"] & {
    /** The CSRF token every state-changing form of this browser must carry (field `_csrf`). */
    csrf: string;
  };
}
