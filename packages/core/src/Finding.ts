import type { ReferenceError } from './ImageReference.js';
import { describeReferenceError, familiarName } from './ImageReference.js';
import type { MirrorRule } from './MirrorRule.js';
import { formatMirrorRule } from './MirrorRule.js';
import { compareStrings } from './Order.js';
import { excerpt, quoteExcerpt } from './PrintableText.js';

// The findings every planner shares, and the one way plans order them. Each plan kind (alias, pull, publish,
// clean, sync) takes the shared kinds it can meet and adds its own; this module depends on no planner, so the
// planners and `AliasFamily` (which reports request findings) import it without importing each other.

/** No member of the family exists: nothing to tag from. */
export interface MissingFinding {
  readonly _tag: 'Missing';
  readonly family: string;
  readonly lookedFor: readonly string[];
  /**
   * The name to pull to heal the family: the Harbor copy in internal mode, the origin in external mode.
   * Absent when the mode allows no registry for it: internal mode with no Harbor name for this family
   * (no Harbor configured, or a layout that gives this origin no Harbor path).
   */
  readonly pull?: string;
}

/** `name` points at `imageId`, but the family's chosen source points at `expectedImageId`. */
export interface ConflictFinding {
  readonly _tag: 'Conflict';
  readonly family: string;
  readonly name: string;
  readonly imageId: string;
  readonly expectedImageId: string;
  readonly source: string;
}

/** A digest reference names content, not a tag: it is never a tag target. */
export interface DigestReferenceFinding {
  readonly _tag: 'DigestReference';
  readonly reference: string;
}

/** A requested image string that is not a reference. */
export interface InvalidRequestFinding {
  readonly _tag: 'InvalidRequest';
  readonly input: string;
  readonly error: ReferenceError;
}

/**
 * Requested images of different origins whose mirror rules give one Harbor name; none of them is aliased
 * from (or to) that name.
 */
export interface AmbiguousMirrorFinding {
  readonly _tag: 'AmbiguousMirror';
  readonly name: string;
  /** the families' origins, sorted */
  readonly families: readonly string[];
}

/** The family's `flatten-N` rule drops more namespace components than its origin path has: no Harbor name. */
export interface MirrorTooDeepFinding {
  readonly _tag: 'MirrorTooDeep';
  readonly family: string;
  readonly rule: MirrorRule;
  /** namespace components of the origin path (`library/redis`: 1) */
  readonly components: number;
  /** components the rule drops */
  readonly level: number;
}

/** A name in the snapshot that does not parse; kept so it is never dropped silently. */
export interface InvalidSnapshotNameFinding {
  readonly _tag: 'InvalidSnapshotName';
  readonly name: string;
  readonly imageId: string;
  readonly error: ReferenceError;
}

/** What reading the requested images can report, whatever is planned for them (see `familiesOf`). */
export type RequestFinding = InvalidRequestFinding | DigestReferenceFinding | AmbiguousMirrorFinding | MirrorTooDeepFinding;

/** Something the alias planner noticed and did not (or could not) act on. */
export type Finding = MissingFinding | ConflictFinding | RequestFinding | InvalidSnapshotNameFinding;

/**
 * How one plan kind orders its findings: by kind (`rank`, smallest first), then by the fields `key` gives,
 * most significant first. Two findings equal in both are one finding (the same request listed twice).
 */
export interface FindingOrder<F extends { readonly _tag: string }> {
  readonly rank: { readonly [K in F['_tag']]: number };
  readonly key: (finding: F) => readonly string[];
}

/** The fields a shared finding is ordered by after its kind; every plan kind orders the shared kinds alike. */
export const sharedFindingKey = (finding: Finding): readonly string[] => {
  switch (finding._tag) {
    case 'Conflict':
      return [finding.family, finding.name, finding.imageId];
    case 'Missing':
    case 'MirrorTooDeep':
      return [finding.family];
    case 'AmbiguousMirror':
      return [finding.name];
    case 'DigestReference':
      return [finding.reference];
    case 'InvalidRequest':
      return [finding.input];
    case 'InvalidSnapshotName':
      return [finding.name, finding.imageId];
  }
};

const tagOf = <F extends { readonly _tag: string }>(finding: F): F['_tag'] => finding._tag;

const compareBy =
  <F extends { readonly _tag: string }>({ rank, key }: FindingOrder<F>) =>
  (a: F, b: F): number => {
    const byKind = rank[tagOf(a)] - rank[tagOf(b)];
    if (byKind !== 0) return byKind;
    const keyA = key(a);
    const keyB = key(b);
    for (let i = 0; i < Math.max(keyA.length, keyB.length); i++) {
      const byField = compareStrings(keyA[i] ?? '', keyB[i] ?? '');
      if (byField !== 0) return byField;
    }
    return 0;
  };

/**
 * The findings of a plan in their one order, each once: the same inputs in any order give the same findings.
 *
 * @example
 * sortFindings([{ _tag: 'DigestReference', reference: 'b' }, { _tag: 'DigestReference', reference: 'a' }],
 *   { rank: { DigestReference: 0 }, key: (f) => [f.reference] })
 * // [{ _tag: 'DigestReference', reference: 'a' }, { _tag: 'DigestReference', reference: 'b' }]
 */
export const sortFindings = <F extends { readonly _tag: string }>(findings: readonly F[], order: FindingOrder<F>): F[] => {
  const compare = compareBy(order);
  const unique: F[] = [];
  let previous: F | undefined;
  for (const finding of [...findings].sort(compare)) {
    if (previous === undefined || compare(previous, finding) !== 0) unique.push(finding);
    previous = finding;
  }
  return unique;
};

/**
 * One sentence per finding: which image, what is wrong, what to do next.
 *
 * @example
 * describeFinding({ _tag: 'Missing', family: 'docker.io/library/redis:7-alpine', lookedFor: ['docker.io/library/redis:7-alpine', 'localhost/redis:7-alpine'], pull: 'harbor.corp.local/proj/redis:7-alpine' })
 * // 'redis:7-alpine is not in the image store under any of its names (...); pull harbor.corp.local/proj/redis:7-alpine, then run imgalias again.'
 */
export const describeFinding = (finding: Finding): string => {
  switch (finding._tag) {
    case 'Missing':
      return `${familiarName(finding.family)} is not in the image store under any of its names (${finding.lookedFor.map(familiarName).join(', ')}); ${
        finding.pull === undefined
          ? 'no registry the mode allows has it (internal mode pulls only Harbor copies, and this image has no Harbor name): load it into the store'
          : `pull ${familiarName(finding.pull)}`
      }, then run imgalias again.`;
    case 'Conflict':
      return `${familiarName(finding.name)} points at image ${finding.imageId}, but the ${familiarName(finding.family)} family takes image ${finding.expectedImageId} from ${familiarName(finding.source)}; ${familiarName(finding.name)} was left as is: remove or retag it by hand, or run with --on-conflict retarget (config key onConflict: "retarget") to move it.`;
    case 'AmbiguousMirror':
      return `${finding.families.map(familiarName).join(' and ')} would all have the Harbor name ${familiarName(finding.name)} under the mirror rules, so which one a Harbor copy holds cannot be told; none of them is aliased from or to it. Give one origin registry a mirror rule of its own (--mirror ORIGIN=LOCATION[@LAYOUT]) or a layout that keeps the namespace.`;
    case 'MirrorTooDeep':
      return `${familiarName(finding.family)} has ${finding.components} namespace component${finding.components === 1 ? '' : 's'}, but the mirror rule ${formatMirrorRule(finding.rule)} drops ${finding.level} (Harbor's replication refuses it too), so it has no Harbor name; use flatten-${finding.components} or flatten-all, or a rule of its own for ${finding.rule.origin === '*' ? 'its registry' : finding.rule.origin}.`;
    case 'DigestReference':
      return `${familiarName(finding.reference)} pins a digest, and a digest is never a tag target; request the image by tag to have its names kept.`;
    case 'InvalidRequest':
      return `The requested image ${quoteExcerpt(finding.input)} is not an image reference (${describeReferenceError(finding.error)}); correct it in the image list.`;
    case 'InvalidSnapshotName':
      return `The image store lists ${quoteExcerpt(finding.name)} on image ${excerpt(finding.imageId)}, which is not an image reference (${describeReferenceError(finding.error)}); it was ignored, so remove or rename it with the engine.`;
  }
};
