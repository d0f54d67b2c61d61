// Preloaded (`node --import`) by bench/startup.ts into each process it times: on exit, prints the
// process's CPU time (user + system, microseconds) as the last line of stderr. Measures, never
// changes, what the process does.
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`\ndaxmc-bench-cpu-us ${u.user + u.system}\n`);
});
