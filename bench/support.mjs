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
