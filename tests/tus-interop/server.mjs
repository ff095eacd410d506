// A third-party tus 1.0 server for the interop test: tus-node-server (@tus/server) with
// its file store, on 127.0.0.1 at an ephemeral port, serving /v1/uploads like the
// Marketplace API. Prints "LISTENING <port>" once ready; stores uploads in argv[2].
import http from "node:http";
import { Server } from "@tus/server";
import { FileStore } from "@tus/file-store";

const directory = process.argv[2];
if (!directory) {
  console.error("usage: node server.mjs <upload directory>");
  process.exit(2);
}
const tus = new Server({ path: "/v1/uploads", datastore: new FileStore({ directory }) });
const server = http.createServer((req, res) => {
  tus.handle(req, res).catch((e) => {
    console.error(e);
    res.statusCode = 500;
    res.end();
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(`LISTENING ${server.address().port}`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
