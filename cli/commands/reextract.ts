// The `reextract` command — not built yet; see the open issues.
import type { Command } from "../command.ts";

export const command: Command = {
  name: "reextract",
  summary: "(not built yet)",
  help: "nianbao reextract — not built yet.",
  async run(_args, io) {
    io.stderr("nianbao reextract: not built yet\n");
    return 2;
  },
};
