// The two-server section of the report (`--only servers`): both servers bare against both traced,
// interleaved run by run (bare, frames, full, bare, …) on one redis-server the bench starts and
// stops, medians, and ratios to bare. Informative: issue 16 sets no budget for it.
import { startOwnRedis } from "../../src/scenario/redis-server.js";
import type { Report } from "./report.js";
import { fmt, median, mib, rateCells, table } from "./stats.js";
import { TWO_CONFIGS, runTwoOnce, type TwoConfig, type TwoRunResult, type TwoServerLoad } from "./two-servers.js";

const KEYS = ["msgPerSec", "p50us", "p99us", "serverCpuUsPerMsg", "hostCpuUsPerMsg", "peakRss", "droppedPerMsg", "lost"] as const;
type Key = (typeof KEYS)[number];

const LABEL: Record<TwoConfig, string> = { bare: "both bare", frames: "both traced, frames only", full: "both traced, frames + full call paths" };

/** Runs every configuration `runs` times under `load`, interleaved; prints the tables. */
export async function serversSection(report: Report, load: TwoServerLoad, runs: number): Promise<void> {
  const redis = await startOwnRedis();
  const outcomes = Object.fromEntries(TWO_CONFIGS.map((c) => [c, [] as TwoRunResult[]])) as Record<TwoConfig, TwoRunResult[]>;
  const failures: string[] = [];
  try {
    for (let round = 1; round <= runs; round++) {
      for (const config of TWO_CONFIGS) {
        report.log(`[servers] round ${round}/${runs}: ${config}…`);
        try {
          const r = await runTwoOnce(config, load, redis.url);
          outcomes[config].push(r);
          report.log(`  ${fmt(r.msgPerSec)} msg/s, p99 ${fmt(r.p99us / 1000, 1)} ms, servers ${fmt(r.serverCpuUsPerMsg, 1)} µs/msg, peak RSS ${mib(r.peakRss)}, dropped/msg ${fmt(r.droppedPerMsg, 1)}`);
        } catch (error) {
          report.log(`  failed: ${(error as Error).message}`);
          failures.push(`${config}: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    await redis.stop();
  }
  const summary = Object.fromEntries(
    TWO_CONFIGS.map((config) => [config, Object.fromEntries(KEYS.map((key) => [key, median(outcomes[config].map((r) => r[key]))]))]),
  ) as Record<TwoConfig, Record<Key, number>>;
  report.results.servers = { load, redisVersion: redis.version, summary, outcomes };
  const ratio = (config: TwoConfig, key: Key): number => summary[config][key] / summary.bare[key];

  report.print(`### ${load.title}`);
  report.print();
  report.print(
    `A real redis-server${redis.version ? ` ${redis.version}` : ""} on 127.0.0.1; two socket.io servers on \`@socket.io/redis-adapter\`; a client on one server emits, ` +
      "its server `io.emit`s, and the round trip ends when a client of the *other* server receives it. Traced: each server under its own CLI-side host, " +
      `its Redis connections tapped. ${runs} run(s) per configuration, interleaved; ${load.durationMs / 1000} s window; medians. Per message: CPU of both servers summed (\`/proc/<pid>/stat\`), peak RSS summed.`,
  );
  report.print();
  report.print(
    table(
      ["", "msg/s (crossed)", "p50 A→B", "p99 A→B", "servers' CPU / msg", "CLI-side CPU / msg", "servers' peak RSS", "records / msg dropped (counted)", "lost"],
      TWO_CONFIGS.map((config) => {
        const s = summary[config];
        const traced = config !== "bare";
        return [
          LABEL[config],
          ...rateCells(s, traced),
          mib(s.peakRss),
          traced ? fmt(s.droppedPerMsg, 1) : "–",
          fmt(s.lost),
        ];
      }),
    ),
  );
  report.print();
  report.print(
    table(
      ["ratio to bare", "msg/s", "p99 A→B", "servers' CPU / msg", "servers' peak RSS"],
      TWO_CONFIGS.filter((c) => c !== "bare").map((config) => [
        LABEL[config],
        ...(["msgPerSec", "p99us", "serverCpuUsPerMsg", "peakRss"] as const).map((key) => `${fmt(ratio(config, key), 2)}×`),
      ]),
    ),
  );
  report.print();
  const unquiet = TWO_CONFIGS.flatMap((c) => outcomes[c]).filter((r) => !r.quietBefore.quiet).length;
  report.print(`Runs that started without a quiet machine: ${unquiet}.${failures.length ? ` Failed runs: ${failures.join("; ")}` : ""}`);
  report.print();
  for (const config of ["frames", "full"] as const) {
    report.verdict(`two servers, ${LABEL[config]}: servers' CPU per message (informative)`, `${fmt(ratio(config, "serverCpuUsPerMsg"), 2)}×`, "–", undefined);
  }
}
