// The `stats` command — not built yet; see the open issues.
import type { Command } from "../command.ts";

export const command: Command = {
  name: "stats",
  summary: "(not built yet)",
  help: "nianbao stats — not built yet.",
  async run(_args, io) {
    io.stderr("nianbao stats: not built yet\n");
    return 2;
  },
};
