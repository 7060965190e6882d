// The `export` command — not built yet; see the open issues.
import type { Command } from "../command.ts";

export const command: Command = {
  name: "export",
  summary: "(not built yet)",
  help: "nianbao export — not built yet.",
  async run(_args, io) {
    io.stderr("nianbao export: not built yet\n");
    return 2;
  },
};
