// The `crawl` command — not built yet; see the open issues.
import type { Command } from "../command.ts";

export const command: Command = {
  name: "crawl",
  summary: "(not built yet)",
  help: "nianbao crawl — not built yet.",
  async run(_args, io) {
    io.stderr("nianbao crawl: not built yet\n");
    return 2;
  },
};
