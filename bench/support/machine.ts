import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineDescription {
  readonly node: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  /** 1-minute load average when measured: other work on the machine skews every figure. */
  readonly loadAverage: number;
}

/** Where the figures were measured, so results from different machines are not compared blindly. */
export function describeMachine(): MachineDescription {
  const processors = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    cpu: processors[0]?.model ?? 'unknown',
    cpuCount: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
  };
}

export function formatMachine(machine: MachineDescription): string {
  return `${machine.node} on ${machine.platform}, ${machine.cpuCount} x ${machine.cpu}, ${machine.memoryGiB} GiB, load average ${machine.loadAverage}`;
}
