// The `compare` command — not built yet; see the open issues.
import type { Command } from "../command.ts";

export const command: Command = {
  name: "compare",
  summary: "(not built yet)",
  help: "nianbao compare — not built yet.",
  async run(_args, io) {
    io.stderr("nianbao compare: not built yet\n");
    return 2;
  },
};
