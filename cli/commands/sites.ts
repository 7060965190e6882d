// The `sites` command — not built yet; see the open issues.
import type { Command } from "../command.ts";

export const command: Command = {
  name: "sites",
  summary: "(not built yet)",
  help: "nianbao sites — not built yet.",
  async run(_args, io) {
    io.stderr("nianbao sites: not built yet\n");
    return 2;
  },
};
