import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, right } from 'fp-ts/lib/Either.js';
import type { CheckResult } from '@imgalias/core';
import { checkFamilies } from '@imgalias/core';
import type { PreparedProject } from './prepareProject.js';
import { prepareProject } from './prepareProject.js';
import type { ProjectError } from './ProjectError.js';
import type { ProjectOptions } from './ProjectOptions.js';

/** `checkProject`'s answer: each family's status and names, with everything that decided them. */
export interface ProjectCheck extends PreparedProject {
  /** Each family's status (`complete`, `incomplete`, `conflict`, `missing`), names and image ids, and findings. */
  readonly check: CheckResult;
  /** True when every family is complete and nothing was found (no finding, no discovery problem): `imgalias check` exits 0. */
  readonly ok: boolean;
}

/**
 * What `imgalias check` reports, as data: the families of the images named (or every family in the store when
 * none are) with each name's image id. Reads the store, changes nothing.
 *
 * @example
 * import { createMemoryStore } from '@imgalias/adapter-memory';
 * const result = await checkProject({ cwd: process.cwd(), images: ['redis:7-alpine'], store: createMemoryStore({ snapshot }) });
 * if (result._tag === 'Right' && !result.right.ok) console.log(result.right.check.families.filter((f) => f.status !== 'complete'));
 */
export async function checkProject(options: ProjectOptions): Promise<Either<ProjectError, ProjectCheck>> {
  const prepared = await prepareProject({ ...options, scope: 'requested-or-store' });
  if (isLeft(prepared)) return prepared;
  const { snapshot, images, policy, discoveryProblems } = prepared.right;
  const check = checkFamilies({ snapshot, images, policy });
  const complete = check.families.every((family) => family.status === 'complete');
  return right({ ...prepared.right, check, ok: complete && check.findings.length === 0 && discoveryProblems.length === 0 });
}
