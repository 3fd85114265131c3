// The README's main job: imgalias on the example project in examples/field-project.
// With a reachable engine it reads that engine (check + plan; nothing is changed). With none, it runs the
// same commands against the example's saved snapshot: a dry run on embedded data.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const project = relative(process.cwd(), join(root, 'examples', 'field-project')) || '.';
const snapshot = join(project, 'snapshot.json');

function engineAnswers() {
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Runs one imgalias command, echoing it first; exit 1 (findings) is an expected answer in a demo. */
function imgalias(args) {
  process.stdout.write(`\n$ imgalias ${args.join(' ')}\n`);
  const { status, error } = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (error || status === null || status > 1) {
    process.stderr.write(`demo: 'imgalias ${args.join(' ')}' failed (exit ${status ?? error?.message})\n`);
    process.exit(status ?? 1);
  }
}

const live = engineAnswers();
const source = live ? [] : ['--snapshot', snapshot];
process.stdout.write(
  live
    ? 'A docker engine answers: reading it (check and plan only; nothing is changed).\n'
    : `No container engine here: planning against the example's saved snapshot (${snapshot}).\n`,
);
imgalias(['scan', project]);
imgalias(['check', '--from', project, ...source]);
imgalias(['plan', '--from', project, ...source]);
imgalias(['plan', '--from', project, ...source, '--mode', 'internal', '--harbor', 'harbor.corp.local/aihpc', '--format', 'markdown']);
if (!live) {
  imgalias(['apply', '--from', project, ...source]);
}
