import module from 'node:module';

// Node 22.1+ can keep the compiled bundle between runs (in its own cache directory under the system's temp
// directory); most of a short run such as `imgalias --version` is compiling JavaScript. Older Nodes lack the
// function and run as before. It must run before the rest of the program is loaded, hence the dynamic import.
const withCompileCache = module as { enableCompileCache?: () => unknown };
withCompileCache.enableCompileCache?.();

const { runProcess } = await import('./runProcess.js');
runProcess();
