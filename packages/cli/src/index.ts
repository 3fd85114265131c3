export { run, createProgram, commands } from './main.js';
export type { CliIO, CommandAction, CommandContext, ContextHandle, Invocation, RegisterCommand } from './commands/Command.js';
export { createCommandContext } from './commands/Command.js';
export {
  withConcurrencyOption,
  withConfigOption,
  withDisplayOptions,
  withFormatOptions,
  withFromOption,
  withModeOptions,
  withPolicyOptions,
  withStoreOptions,
} from './commands/options.js';
export { ExitCode, exitCodeHelp } from './ExitCode.js';
export type { CliError } from './CliError.js';
export { describeCliError, exitCodeOf } from './CliError.js';
export type { Output, OutputStream } from './Output.js';
export { createOutput } from './Output.js';
export { registerApply } from './commands/apply.js';
export { registerCheck, checkJson } from './commands/check.js';
export { registerFix } from './commands/fix.js';
export { registerMode, modeJson } from './commands/mode.js';
export { registerPlan } from './commands/plan.js';
export { registerPrefetch } from './commands/prefetch.js';
export { registerPublish } from './commands/publish.js';
export { registerClean } from './commands/clean.js';
export { registerScan } from './commands/scan.js';
export { registerSnapshot } from './commands/snapshot.js';
