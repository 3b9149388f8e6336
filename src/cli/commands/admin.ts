import type { Command } from "commander";
import type { CommandContext } from "../context";
import { registerDatasetsCommands } from "./datasets";
import { registerEvalCommands } from "./eval";
import { registerHeldoutCommands } from "./heldout";
import { registerJudgmentsCommands } from "./judgments";
import { registerKeysCommands } from "./keys";
import { registerExportCommand, registerRunsCommands } from "./runs";
import { registerTrainCommands } from "./train";
import { registerVersionsCommands } from "./versions";

/** Every command beyond judge/compare: one file per group under src/cli/commands/. */
export function registerAdminCommands(program: Command, ctx: CommandContext): void {
  registerJudgmentsCommands(program, ctx);
  registerVersionsCommands(program, ctx);
  registerHeldoutCommands(program, ctx);
  registerDatasetsCommands(program, ctx);
  registerEvalCommands(program, ctx);
  registerTrainCommands(program, ctx);
  registerRunsCommands(program, ctx);
  registerExportCommand(program, ctx);
  registerKeysCommands(program, ctx);
}
