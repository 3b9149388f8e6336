/**
 * Judge versions: immutable, each addressable; exactly one active per evaluator. Activation and
 * rollback are one transaction under the evaluator's row lock, and every change is audited.
 */
export {
  changeActiveVersion,
  changeActiveVersionInTx,
  rollbackTarget,
  type ActivationRequest,
  type ActivationResult,
  type ActivationTarget,
} from "./activation";
export {
  activateVersion,
  getActiveVersion,
  getVersion,
  listAuditEvents,
  listVersions,
  registerVersion,
  rollbackVersion,
  type RegisterVersionParams,
} from "./service";
export type { VersionRow } from "../db/queries/versions";
