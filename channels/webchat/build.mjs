// Copies rasa-webchat's standalone UMD bundle (it exposes `WebChat`) into static/vendor/.
// The bundle's CSS @imports the Inter font from Google Fonts; that import is removed so the page
// loads nothing from outside the gateway (the CSS falls back to the system sans-serif).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "node_modules", "rasa-webchat", "lib", "index.js");
const target = join(here, "static", "vendor", "webchat.js");
const fontImport = /@import url\(https:\/\/fonts\.googleapis\.com\/css\?[^)]*\);/g;

const bundle = readFileSync(source, "utf8");
const removed = bundle.match(fontImport)?.length ?? 0;
const localOnly = bundle.replace(fontImport, "");
if (removed === 0 || /fonts\.googleapis\.com/.test(localOnly)) {
  throw new Error("rasa-webchat's bundle changed: check how it loads fonts before updating");
}
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, localOnly);
console.log(`wrote ${target} (${localOnly.length} bytes, ${removed} font imports removed)`);
