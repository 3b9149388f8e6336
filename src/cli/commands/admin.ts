import type { Command } from "commander";
import type { CommandContext } from "../context";
import { registerVersionsCommands } from "./versions";

export function registerAdminCommands(program: Command, ctx: CommandContext): void {
  registerVersionsCommands(program, ctx);
}
