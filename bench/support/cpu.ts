/** Process CPU time (user + system) since `start` (a `process.cpuUsage()`), in µs. */
export function cpuMicrosSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}
