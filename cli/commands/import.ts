// The `import` command — not built yet; see the open issues.
import type { Command } from "../command.ts";

export const command: Command = {
  name: "import",
  summary: "(not built yet)",
  help: "nianbao import — not built yet.",
  async run(_args, io) {
    io.stderr("nianbao import: not built yet\n");
    return 2;
  },
};
