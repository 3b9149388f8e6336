import { createRouter } from "../../lib/router";
import { heldoutJsonlUpload, importHeldoutHandler, listHeldoutHandler } from "./heldout.handlers";
import { importHeldout, listHeldout } from "./heldout.routes";

const base = createRouter();
base.use("/v1/heldout", heldoutJsonlUpload);
// Chained, so the routes' types reach ApiType and the typed client (src/client).
export const heldoutRouter = base.openapi(importHeldout, importHeldoutHandler).openapi(listHeldout, listHeldoutHandler);
