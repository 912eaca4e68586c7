/**
 * The command line that runs `command` pinned to `cpu` with `taskset`, and with a higher
 * scheduling priority when `ZP_HTTP_BENCH_NICE` is set (e.g. `-10`; needs root): on a shared
 * machine other processes then steal less time from the server and wrk, for every
 * contender alike.
 */
export function pinned(cpu: string, command: string, args: string[]): [string, string[]] {
  const nice = process.env.ZP_HTTP_BENCH_NICE;
  const taskset = ["taskset", "-c", cpu, command, ...args];
  return nice === undefined || nice === "" ? [taskset[0]!, taskset.slice(1)] : ["nice", ["-n", nice, ...taskset]];
}
