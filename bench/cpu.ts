import fs from "node:fs";
import { execFileSync } from "node:child_process";

/** Clock ticks per second of /proc's utime and stime (getconf CLK_TCK; 100 on Linux almost everywhere). */
const TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of one process in ms (0 when it is gone). */
function processCpuMs(pid: number | string): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name may hold spaces and parentheses: fields count from the last ")"
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
  } catch {
    return 0;
  }
}

/**
 * PostgreSQL backends serving `database`: their title is "postgres: <user> <database> <client> <state>", or
 * "postgres: <cluster name>: <user> <database> …" where cluster_name is set (Debian's "15/main").
 */
function backendsOf(database: string): string[] {
  const pids: string[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      const backend = /^postgres: (?:\S+: )?\S+ (\S+) /.exec(title);
      if (backend && backend[1] === database) pids.push(entry);
    } catch {
      /* gone */
    }
  }
  return pids;
}

export interface CpuSample {
  nodeMs: number;
  postgresMs: number;
}

/**
 * CPU spent by the API process and by the PostgreSQL backends of its database during a run, read from /proc:
 * `start()` before the run, the meter's `stop()` after it. Backends are matched by database name (other
 * databases on the same server do not count) and polled during the run, so one the pool opens meanwhile
 * counts from its start, and one it closes counts up to its last reading.
 */
export function cpuSampler(serverPid: number, database: string): { start: () => { stop: () => CpuSample } } {
  const backends = () => new Map(backendsOf(database).map((pid) => [pid, processCpuMs(pid)] as const));
  return {
    start() {
      const nodeFirst = processCpuMs(serverPid);
      const first = backends();
      const last = new Map(first);
      const poll = setInterval(() => {
        for (const [pid, ms] of backends()) last.set(pid, ms);
      }, 200);
      return {
        stop() {
          clearInterval(poll);
          for (const [pid, ms] of backends()) last.set(pid, ms);
          let postgresMs = 0;
          for (const [pid, ms] of last) postgresMs += ms - (first.get(pid) ?? 0);
          return { nodeMs: processCpuMs(serverPid) - nodeFirst, postgresMs };
        },
      };
    },
  };
}
