// Preloaded into the traced server by `node bench/profile.js` (NODE_OPTIONS=--import …, since
// --cpu-prof is not allowed there): samples the CPU from SIGUSR2 until the process exits and
// writes a .cpuprofile into BENCH_PROFILE_DIR.
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let started = false;
  process.on("SIGUSR2", () => {
    if (started) return;
    started = true;
    session.post("Profiler.setSamplingInterval", { interval: 200 });
    session.post("Profiler.enable");
    session.post("Profiler.start");
  });
  process.on("exit", () => {
    if (!started) return;
    // Same-thread inspector sessions answer synchronously, so this runs before the process ends.
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(join(dir, `traced-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
