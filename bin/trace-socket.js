#!/usr/bin/env node
// Thin launcher: everything lives in the built CLI.
import("../dist/cli/main.js").catch((error) => {
  if (error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli/main.js")) {
    console.error("trace-socket is not built yet: run `npm install` (or `npm run build`) in its folder.");
    process.exit(1);
  }
  throw error;
});
