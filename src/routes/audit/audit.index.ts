import { createRouter } from "../../lib/router";
import { listAuditHandler } from "./audit.handlers";
import { listAudit } from "./audit.routes";

export const auditRouter = createRouter().openapi(listAudit, listAuditHandler);
