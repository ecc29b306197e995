import { readFileSync } from 'node:fs';

/**
 * User + system CPU time of a process in ms (Linux /proc; NaN elsewhere). A server's CPU per
 * unit of work is skewed less by other load on a shared machine than its rates are.
 */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}
