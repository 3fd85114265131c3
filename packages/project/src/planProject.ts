import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, right } from 'fp-ts/lib/Either.js';
import type { Plan } from '@imgalias/core';
import { planAliases } from '@imgalias/core';
import type { PreparedProject } from './prepareProject.js';
import { prepareProject } from './prepareProject.js';
import type { ProjectError } from './ProjectError.js';
import type { ProjectOptions } from './ProjectOptions.js';

/** `planProject`'s answer: the plan, with everything that decided it. */
export interface ProjectPlan extends PreparedProject {
  /** The tag operations that would complete every family, and the findings (missing images, conflicts). */
  readonly plan: Plan;
  /** True when nothing was found (no finding, no discovery problem): `imgalias plan` exits 0. */
  readonly ok: boolean;
}

/**
 * What `imgalias plan` prints, as data: the plan for the images named, the config file's images and the project
 * files in `from` (or every family in the store when none are named). Reads the store, changes nothing.
 *
 * @example
 * import { renderPlan } from '@imgalias/render';
 * const result = await planProject({ cwd: process.cwd(), mode: 'internal', harbor: 'harbor.corp.local/proj', store });
 * if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
 * console.log(renderPlan(result.right.plan, { format: 'markdown' }));
 */
export async function planProject(options: ProjectOptions): Promise<Either<ProjectError, ProjectPlan>> {
  const prepared = await prepareProject({ ...options, scope: 'requested-or-store' });
  if (isLeft(prepared)) return prepared;
  const { snapshot, images, policy, discoveryProblems } = prepared.right;
  const plan = planAliases({ snapshot, images, policy });
  return right({ ...prepared.right, plan, ok: plan.findings.length === 0 && discoveryProblems.length === 0 });
}
