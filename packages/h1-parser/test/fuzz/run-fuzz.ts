// Fuzzes the parser with mutated llhttp corpus messages: `pnpm fuzz [count] [seed]`
// (or ZP_FUZZ_COUNT / ZP_FUZZ_SEED). The work runs in a child process; if it makes no
// progress for 10 s the parser is stuck in a loop and the run fails.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runFuzz } from "./fuzz-core.js";

if (process.env.ZP_FUZZ_CHILD !== "1") {
  const count = Number(process.argv[2] ?? process.env.ZP_FUZZ_COUNT ?? 1_000_000);
  const seed = Number(process.argv[3] ?? process.env.ZP_FUZZ_SEED ?? Date.now() % 0x7fffffff);
  console.log(`fuzzing ${count} inputs, seed ${seed}`);
  const started = Date.now();
  const worker = fork(fileURLToPath(import.meta.url), [String(count), String(seed)], {
    env: { ...process.env, ZP_FUZZ_CHILD: "1" },
    execArgv: process.execArgv,
  });
  let last = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - last > 10_000) {
      console.error("no progress for 10 s: the parser loops");
      process.exitCode = 1;
      worker.kill();
      clearInterval(watchdog);
    }
  }, 1000);
  worker.on("message", (m: { done?: number; report?: ReturnType<typeof runFuzz> }) => {
    last = Date.now();
    if (m.done !== undefined && m.done % 100_000 === 0) console.log(`  ${m.done} inputs`);
    if (m.report) {
      clearInterval(watchdog);
      const r = m.report;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`${r.inputs} inputs in ${secs} s: ${r.accepted} accepted, ${r.rejected} rejected, ${r.failures.length} failures`);
      for (const f of r.failures) console.log(`  ${f.mode} ${JSON.stringify(f.input)}: ${f.problem}`);
      if (r.failures.length > 0) process.exitCode = 1;
      worker.disconnect();
    }
  });
  worker.on("error", (err) => {
    clearInterval(watchdog);
    console.error(err);
    process.exitCode = 1;
  });
} else {
  const count = Number(process.argv[2]);
  const seed = Number(process.argv[3]);
  const report = runFuzz(count, seed, (done) => process.send!({ done }));
  process.send!({ report });
}
