// The upload bench's baseline: tus-js-client (the protocol's reference client) uploading
// one file to a tus server, as a Node app would: a file stream read by path, its default
// single PATCH (no chunk size, no checksum). Prints "UPLOADED <ms>" (from start() to
// onSuccess, Node's own start-up left out) and the upload URL; exits 1 on any error.
import fs from "node:fs";
import { Upload } from "tus-js-client";

const [endpoint, file] = process.argv.slice(2);
if (!endpoint || !file) {
  console.error("usage: node upload.mjs <endpoint> <file>");
  process.exit(2);
}
const size = fs.statSync(file).size;
const started = performance.now();
const upload = new Upload(fs.createReadStream(file), {
  endpoint,
  uploadSize: size,
  metadata: { filename: "tus-js-client.bin" },
  retryDelays: [],
  onError: (e) => {
    console.error(`tus-js-client failed: ${e}`);
    process.exit(1);
  },
  onSuccess: () => {
    console.log(`UPLOADED ${(performance.now() - started).toFixed(1)} ${upload.url}`);
  },
});
upload.start();
