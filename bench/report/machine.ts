import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** The facts a reader needs to compare these figures with their own. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly date: string;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux: fall through to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(now = new Date()): MachineInfo {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: now.toISOString(),
  };
}

export function machineMarkdown(machine: MachineInfo, command: string): string {
  return [
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, Node ${machine.node}`,
    `- Date: ${machine.date}`,
    `- Command: \`${command}\``,
  ].join('\n');
}
