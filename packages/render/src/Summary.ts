import type { ActionResult, Finding, Plan } from '@imgalias/core';

/** The counts a summary line reports; shared so text, Markdown and JSON never disagree. */
export interface PlanCounts {
  readonly toTag: number;
  readonly conflicts: number;
  readonly missing: number;
  /** Requests and snapshot names that are not references. */
  readonly invalidNames: number;
  readonly digestReferences: number;
}

export interface ApplyCounts {
  readonly tagged: number;
  /** The engine or registry was asked and said no. */
  readonly failed: number;
  /** Not run: the store's checks found the action must not run (a stale plan, an invalid name, a name it may not write). */
  readonly refused: number;
  /** Left alone because another process named the target meanwhile. */
  readonly changed: number;
  /** Not begun because the apply was interrupted. */
  readonly notStarted: number;
  /** Only known when the plan is at hand: conflicts are findings of the plan, not results of applying it. */
  readonly conflicts?: number;
  /** Likewise: families with no name in the store, which applying cannot fix. */
  readonly missing?: number;
}

const countFindings = (findings: readonly Finding[], tags: readonly Finding['_tag'][]): number =>
  findings.filter((finding) => tags.includes(finding._tag)).length;

export const countPlan = (plan: Plan): PlanCounts => ({
  toTag: plan.actions.length,
  conflicts: countFindings(plan.findings, ['Conflict']),
  missing: countFindings(plan.findings, ['Missing']),
  invalidNames: countFindings(plan.findings, ['InvalidRequest', 'InvalidSnapshotName']),
  digestReferences: countFindings(plan.findings, ['DigestReference']),
});

export const countResults = (results: readonly ActionResult[], plan?: Plan): ApplyCounts => ({
  tagged: results.filter((result) => result._tag === 'Applied').length,
  failed: results.filter((result) => result._tag === 'Failed').length,
  refused: results.filter((result) => result._tag === 'Refused').length,
  changed: results.filter((result) => result._tag === 'ChangedUnderUs').length,
  notStarted: results.filter((result) => result._tag === 'NotStarted').length,
  ...(plan === undefined
    ? {}
    : { conflicts: countFindings(plan.findings, ['Conflict']), missing: countFindings(plan.findings, ['Missing']) }),
});

/** `1 finding`, `3 findings`. */
export const counted = (count: number, singular: string, plural: string = singular): string =>
  `${count} ${count === 1 ? singular : plural}`;

/**
 * `3 to tag, 1 conflict, 1 missing`; invalid names and digest references are added only when there are
 * some, so the common line stays short.
 */
export const summarisePlan = (counts: PlanCounts): string =>
  [
    counted(counts.toTag, 'to tag'),
    counted(counts.conflicts, 'conflict', 'conflicts'),
    counted(counts.missing, 'missing'),
    ...(counts.invalidNames > 0 ? [counted(counts.invalidNames, 'invalid name', 'invalid names')] : []),
    ...(counts.digestReferences > 0
      ? [counted(counts.digestReferences, 'digest reference', 'digest references')]
      : []),
  ].join(', ');

/**
 * `3 tagged, 1 conflict, 1 failed` (the conflict count only when the plan was given; `1 missing` too when the plan
 * left families without any name, and `refused` / `changed under us` / `not started` when there are some, so a summary
 * never reads clean while the exit code says otherwise).
 */
export const summariseResults = (counts: ApplyCounts): string =>
  [
    counted(counts.tagged, 'tagged'),
    ...(counts.conflicts === undefined ? [] : [counted(counts.conflicts, 'conflict', 'conflicts')]),
    ...(counts.missing === undefined || counts.missing === 0 ? [] : [counted(counts.missing, 'missing')]),
    counted(counts.failed, 'failed'),
    ...(counts.refused === 0 ? [] : [counted(counts.refused, 'refused')]),
    ...(counts.changed === 0 ? [] : [counted(counts.changed, 'changed under us')]),
    ...(counts.notStarted === 0 ? [] : [counted(counts.notStarted, 'not started')]),
  ].join(', ');
