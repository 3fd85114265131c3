import module from 'node:module';
import { version } from './version.js';

// Node 22.1+ can keep the compiled bundle between runs (in its own cache directory under the system's temp
// directory); most of a short run such as `imgalias --version` is compiling JavaScript. Older Nodes lack the
// function and run as before. It must run before the rest of the program is loaded, hence the dynamic import.
const withCompileCache = module as { enableCompileCache?: () => unknown };
withCompileCache.enableCompileCache?.();

// `imgalias --version` (or `-V`) and nothing else is answered here, with the line commander prints for it, before
// the program and its commands are loaded: that is most of what such a run would cost.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else {
  const { runProcess } = await import('./runProcess.js');
  runProcess();
}
