/**
 * The user's own loaders: `node --import tsx trace-socket server.js` (or `--loader`, `--require`)
 * means the app runs under them, as it does under `node --import tsx server.js`. Node gives the
 * CLI's own flags to nobody else, so they are handed to the traced process explicitly; every
 * other flag of the CLI's (`--inspect`, `--max-old-space-size`) stays the CLI's.
 */

const WITH_VALUE = new Set(["--import", "--loader", "--experimental-loader", "--require", "-r"]);

/** The module-loading flags of `execArgv`, with their values, in order. */
export function loaderArgs(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    const name = arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg;
    if (!WITH_VALUE.has(name)) continue;
    if (arg.includes("=")) out.push(arg);
    else if (i + 1 < execArgv.length) out.push(arg, execArgv[++i]);
  }
  return out;
}
