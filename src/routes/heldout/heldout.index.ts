import { createRouter } from "../../lib/router";
import { heldoutJsonlUpload, importHeldoutHandler, listHeldoutHandler } from "./heldout.handlers";
import { importHeldout, listHeldout } from "./heldout.routes";

export const heldoutRouter = createRouter();
heldoutRouter.use("/v1/heldout", heldoutJsonlUpload);
heldoutRouter.openapi(importHeldout, importHeldoutHandler).openapi(listHeldout, listHeldoutHandler);
