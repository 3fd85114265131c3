import type { HarborLocation } from './HarborLocation.js';
import type { HarborLayout, MirrorRule } from './MirrorRule.js';

/** `external`: the public internet is reachable. `internal`: an intranet whose source of truth is Harbor. */
export type NetworkMode = 'external' | 'internal';

/** What to do with a name that already points at a different image than the chosen source. */
export type ConflictPolicy = 'report' | 'retarget';

/**
 * Everything the planner needs to know besides the snapshot and the requested images.
 *
 * @example
 * const policy: AliasPolicy = { mode: 'internal', harbor: { registry: 'harbor.corp.local', project: 'proj' },
 *   harborLayout: 'path', shortNames: false, onConflict: 'report', harborTags: false };
 */
export interface AliasPolicy {
  readonly mode: NetworkMode;
  /** The Harbor location of the `*` rule (every registry without a rule of its own in `mirrors`). */
  readonly harbor?: HarborLocation;
  /** The layout of the `harbor` location, and the default of rules written without one. */
  readonly harborLayout: HarborLayout;
  /**
   * Harbor locations per origin registry; the rule for an image's registry wins over the `*` rule. See
   * `resolveMirror`.
   */
  readonly mirrors?: readonly MirrorRule[];
  /** Also keep `openldap:stable` / `localhost/openldap:stable` for namespaced Docker Hub images. */
  readonly shortNames: boolean;
  readonly onConflict: ConflictPolicy;
  /** Create the Harbor name by tagging too (only for pushing to Harbor). Off by default. */
  readonly harborTags: boolean;
}

/**
 * The policy every command starts from: external mode, `path` layout, no short names, conflicts reported,
 * no Harbor tags and no Harbor location.
 */
export const defaultPolicy: AliasPolicy = {
  mode: 'external',
  harborLayout: 'path',
  shortNames: false,
  onConflict: 'report',
  harborTags: false,
};
