// The `process_*` families of prom-client's default metrics: CPU, start time, memory and file
// descriptors, read from process.cpuUsage() and Linux's /proc/self like prom-client 15 does.

import { readdirSync, readFileSync } from 'node:fs';
import type { Registry } from '../registry.js';

/** Memory figures of /proc/self/status, in bytes. */
export interface ProcStatusMemory {
  /** `VmRSS`: resident set size. */
  residentBytes: number;
  /** `VmSize`: virtual memory size. */
  virtualBytes: number;
  /** `VmData`: size of the data segment (heap), which prom-client reports as `process_heap_bytes`. */
  dataBytes: number;
}

/** Parses the `VmRSS`, `VmSize` and `VmData` lines (`VmRSS:\t  53100 kB`) of /proc/self/status. */
export function parseProcStatusMemory(status: string): ProcStatusMemory {
  return {
    residentBytes: readKilobytesField(status, 'VmRSS:'),
    virtualBytes: readKilobytesField(status, 'VmSize:'),
    dataBytes: readKilobytesField(status, 'VmData:'),
  };
}

/** Parses the soft limit of the `Max open files` line of /proc/self/limits, or undefined without one. */
export function parseMaxOpenFiles(limits: string): number | undefined {
  for (const line of limits.split('\n')) {
    // Columns are padded with two or more spaces; the first after the name is the soft limit.
    if (line.startsWith('Max open files')) return Number(line.split(/ {2,}/)[1]);
  }
  return undefined;
}

/**
 * Registers the CPU time counters, read in full from process.cpuUsage() at each scrape: CPU since
 * process start, the Prometheus convention (prom-client counts from its own registration instead).
 */
export function registerCpuMetrics(registry: Registry): void {
  const user = registry.counter({ name: 'process_cpu_user_seconds_total', help: 'Total user CPU time spent in seconds.' });
  const system = registry.counter({ name: 'process_cpu_system_seconds_total', help: 'Total system CPU time spent in seconds.' });
  registry.counter({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    collect: (total) => {
      // One sample for all three, so user + system always equals the total exactly.
      const usage = process.cpuUsage();
      user.labels().value = usage.user / 1e6;
      system.labels().value = usage.system / 1e6;
      total.labels().value = (usage.user + usage.system) / 1e6;
    },
  });
}

/** Registers the process start time, rounded to the second as prom-client does. */
export function registerStartTime(registry: Registry): void {
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  registry.gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.' }).set(startSeconds);
}

/** Registers resident, virtual and heap memory (the last two on Linux only, like prom-client). */
export function registerMemoryMetrics(registry: Registry): void {
  if (process.platform !== 'linux') {
    registry.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', collect: (g) => g.set(process.memoryUsage.rss()) });
    return;
  }
  const resident = registry.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.' });
  const virtual = registry.gauge({ name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.' });
  registry.gauge({
    name: 'process_heap_bytes',
    help: 'Process heap size in bytes.',
    collect: (heap) => {
      const memory = readStatusMemory();
      if (memory === null) return;
      resident.set(memory.residentBytes);
      virtual.set(memory.virtualBytes);
      heap.set(memory.dataBytes);
    },
  });
}

/** Registers open and maximum file descriptors where /proc provides them, as prom-client does. */
export function registerFdMetrics(registry: Registry): void {
  if (process.platform === 'linux') {
    registry.gauge({
      name: 'process_open_fds',
      help: 'Number of open file descriptors.',
      collect: (g) => {
        const open = countOpenFds();
        if (open !== null) g.set(open);
      },
    });
  }
  const maxFds = readMaxOpenFiles();
  if (maxFds !== undefined) {
    registry.gauge({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.' }).set(maxFds);
  }
}

function readKilobytesField(status: string, field: string): number {
  const at = status.indexOf(field);
  if (at === -1) return NaN;
  const end = status.indexOf('\n', at);
  // parseInt skips the tab padding and stops at the ` kB` unit.
  return Number.parseInt(status.slice(at + field.length, end === -1 ? status.length : end), 10) * 1024;
}

function readStatusMemory(): ProcStatusMemory | null {
  try {
    // /proc is no disk I/O: the kernel fills it from its own structures and it never blocks.
    return parseProcStatusMemory(readFileSync('/proc/self/status', 'utf8'));
  } catch {
    return null;
  }
}

function countOpenFds(): number | null {
  try {
    // Minus the descriptor readdirSync itself held open while listing (closed again by now).
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return null;
  }
}

function readMaxOpenFiles(): number | undefined {
  try {
    return parseMaxOpenFiles(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}
