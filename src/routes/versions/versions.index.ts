import { createRouter } from "../../lib/router";
import {
  activateVersionHandler,
  getActiveHandler,
  getVersionHandler,
  listVersionsHandler,
  registerVersionHandler,
  rollbackHandler,
} from "./versions.handlers";
import { activateVersion, getActive, getVersion, listVersions, registerVersion, rollback } from "./versions.routes";

// `active` and `rollback` are registered before `{id}` so they are never read as a version name.
export const versionsRouter = createRouter()
  .openapi(listVersions, listVersionsHandler)
  .openapi(getActive, getActiveHandler)
  .openapi(getVersion, getVersionHandler)
  .openapi(registerVersion, registerVersionHandler)
  .openapi(rollback, rollbackHandler)
  .openapi(activateVersion, activateVersionHandler);
