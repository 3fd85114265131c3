import type { ReferenceError, StoreError } from '@imgalias/core';
import { describeReferenceError } from '@imgalias/core';
import { quoteExcerpt } from '@imgalias/core/internal';
import type { LockError } from '@imgalias/adapter-docker';
import { describeLockError, describeStoreError } from '@imgalias/adapter-docker';
import type { ConfigError } from './config/ConfigError.js';
import { describeConfigError } from './config/ConfigError.js';

/**
 * Why a project job stopped before it had a result, as data: bad settings or image names, project paths that do
 * not exist or were refused, a saved snapshot or plan that cannot be read, the engine, or its apply lock. Nothing
 * was changed in any of these cases except `Store` and `Lock` during `fixProject`, `applyProject` and
 * `applySavedPlan`, whose report says what was.
 */
export type ProjectError =
  | { readonly _tag: 'Config'; readonly error: ConfigError }
  | { readonly _tag: 'InvalidImages'; readonly images: readonly { readonly input: string; readonly error: ReferenceError }[] }
  | { readonly _tag: 'PathNotFound'; readonly paths: readonly string[] }
  | { readonly _tag: 'RefusedFiles'; readonly files: readonly { readonly file: string; readonly detail: string }[] }
  | { readonly _tag: 'SnapshotFileUnreadable'; readonly file: string; readonly message: string }
  | { readonly _tag: 'SnapshotFileInvalid'; readonly file: string; readonly errors: readonly string[] }
  /** A saved plan (`applySavedPlan`'s input, `imgalias apply --plan FILE`; `-`: standard input) that cannot be read. */
  | { readonly _tag: 'PlanFileUnreadable'; readonly file: string; readonly message: string }
  /** Not JSON, or not a plan: one entry per problem, `path: message` (`actions[0].imageId: expected string, got 42`). */
  | { readonly _tag: 'PlanFileInvalid'; readonly file: string; readonly errors: readonly string[] }
  /** A plan whose `version` this build does not know. */
  | { readonly _tag: 'PlanFileVersion'; readonly file: string; readonly version: number }
  | { readonly _tag: 'Store'; readonly error: StoreError }
  | { readonly _tag: 'Lock'; readonly error: LockError };

const planSource = (file: string): string => (file === '-' ? 'the plan on standard input' : `plan file ${file}`);

/**
 * What went wrong, for what, and what to do next; several lines for several bad images or files.
 *
 * @example
 * describeProjectError({ _tag: 'PathNotFound', paths: ['servces'] })
 * // 'no such file or directory to scan: servces. Check the `from` paths; nothing was changed.'
 */
export function describeProjectError(e: ProjectError): string {
  switch (e._tag) {
    case 'Config':
      return describeConfigError(e.error);
    case 'InvalidImages':
      return [
        ...e.images.map(({ input, error }) => `invalid image ${quoteExcerpt(input)}: ${describeReferenceError(error)}`),
        'Nothing was changed and no engine was called. Write images as docker does: redis:7-alpine, osixia/openldap:1.5.0, harbor.corp.local/proj/redis:7-alpine.',
      ].join('\n');
    case 'PathNotFound':
      return `no such file or directory to scan: ${e.paths.join(', ')}. Check the \`from\` paths; nothing was changed.`;
    case 'RefusedFiles':
      return [
        ...e.files.map(({ file, detail }) => `${file}: not read: ${detail}`),
        'Nothing was changed. Replace these with regular files within the limits, or leave them out of `from`.',
      ].join('\n');
    case 'SnapshotFileUnreadable':
      return `cannot read snapshot file ${e.file}: ${e.message}\nCreate one with: imgalias snapshot > ${e.file}`;
    case 'SnapshotFileInvalid':
      return [`snapshot file ${e.file} is not a valid imgalias snapshot:`, ...e.errors.map((line) => `  ${line}`), 'Create one with: imgalias snapshot > FILE'].join('\n');
    case 'PlanFileUnreadable':
      return `cannot read ${planSource(e.file)}: ${e.message}. Nothing was changed; save a plan with: imgalias plan --json > FILE`;
    case 'PlanFileInvalid': {
      // One line: the first problem at its path, and how many more there are.
      const more = e.errors.length > 1 ? ` (and ${e.errors.length - 1} more problem${e.errors.length > 2 ? 's' : ''})` : '';
      return `${planSource(e.file)} is not an imgalias plan (what \`imgalias plan --json\` prints): ${e.errors[0] ?? 'no content'}${more}. Nothing was changed.`;
    }
    case 'PlanFileVersion':
      return `${planSource(e.file)} is plan version ${e.version}, which this imgalias does not know (it reads version 1): apply it with the imgalias that wrote it, or plan again with this one. Nothing was changed.`;
    case 'Store':
      // A job's store error is always a failed read: the snapshot it starts from, or an apply's read before or
      // after tagging (a tag that fails is a result in the report, not this error). The CLI's lifecycle commands
      // add pull, push and untag, which end Left only when the engine is missing or unreachable.
      return describeStoreError(e.error, 'snapshot');
    case 'Lock':
      return describeLockError(e.error);
  }
}
