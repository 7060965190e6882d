// The `checks` command — not built yet; see the open issues.
import type { Command } from "../command.ts";

export const command: Command = {
  name: "checks",
  summary: "(not built yet)",
  help: "nianbao checks — not built yet.",
  async run(_args, io) {
    io.stderr("nianbao checks: not built yet\n");
    return 2;
  },
};
