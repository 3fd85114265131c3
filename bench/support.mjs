// Helpers the engine benchmarks share (bench/adapter.mjs, bench/podman.mjs): numeric options, a subprocess run
// with an argument array, and a timer. Not a library: benchmarks are scripts, and this keeps them from
// drifting apart in how they parse flags or report a failed command.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** `--name N` from the command line as a number, or `fallback` when it is absent. */
export const numberOption = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? Number(process.argv[at + 1]) : fallback;
};

/** Runs a program (never through a shell); rejects with its stderr when it fails. */
export const run = (command, args, env) =>
  new Promise((resolvePromise, reject) => {
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.slice(0, 3).join(' ')}... failed: ${stderr || error.message}`));
      else resolvePromise({ stdout, stderr });
    });
  });

/** Runs `work` and returns its value with the wall time it took, in seconds. */
export const timed = async (work) => {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
};

/** CPU seconds from /proc/PID/stat (Linux): `own` (utime+stime) and `children` (cutime+cstime: reaped children). */
const procCpu = async (pid) => {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // Clock ticks; USER_HZ is 100 on Linux (`getconf CLK_TCK`).
  return { own: (fields[11] + fields[12]) / 100, children: (fields[13] + fields[14]) / 100 };
};

/**
 * Runs `work` and returns its value with the wall time and the CPU time it cost, in seconds: this process's own
 * CPU, that of the child processes it waited for (and theirs), and that of `alsoPids` (e.g. a service `work`
 * talks to). On a loaded shared machine wall time measures the queue as much as the work; CPU time does not.
 */
export const cpuTimed = async (work, alsoPids = []) => {
  const others = async () => (await Promise.all(alsoPids.map(procCpu))).reduce((sum, cpu) => sum + cpu.own, 0);
  const [selfBefore, othersBefore, ownBefore] = [await procCpu('self'), await others(), process.cpuUsage()];
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(ownBefore);
  const [selfAfter, othersAfter] = [await procCpu('self'), await others()];
  const cpu = (own.user + own.system) / 1e6 + (selfAfter.children - selfBefore.children) + (othersAfter - othersBefore);
  return { seconds, cpu, value };
};
