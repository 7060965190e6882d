// The portal farm as the crawl bench runs it: idle connections kept 5 s, as real portals do (nginx's
// default is 75 s). The test farm's 1 s is below Node's client margin, so every request opened a new socket.
import { Server } from "node:http";

const KEEP_ALIVE_MS = 5000;
// The farm sets its 1 s just before listen(); this runs inside listen(), so it has the last word.
const listen = Server.prototype.listen;
Server.prototype.listen = function (this: Server, ...args: unknown[]) {
  this.keepAliveTimeout = KEEP_ALIVE_MS;
  return (listen as (...a: unknown[]) => Server).apply(this, args);
} as typeof Server.prototype.listen;

await import("../fixtures/farm/server/start-farm.ts");
