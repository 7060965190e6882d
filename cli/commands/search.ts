// The `search` command — not built yet; see the open issues.
import type { Command } from "../command.ts";

export const command: Command = {
  name: "search",
  summary: "(not built yet)",
  help: "nianbao search — not built yet.",
  async run(_args, io) {
    io.stderr("nianbao search: not built yet\n");
    return 2;
  },
};
