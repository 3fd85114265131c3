/** `external`: the public internet is reachable. `internal`: an intranet whose source of truth is Harbor. */
export type NetworkMode = 'external' | 'internal';

/** How a Harbor copy's path is derived from the origin's path. See docs/guide.md#harbor-layouts. */
export type HarborLayout = 'path' | 'library' | 'flatten';

/** What to do with a name that already points at a different image than the chosen source. */
export type ConflictPolicy = 'report' | 'retarget';

/** A Harbor project: `harbor.corp.local/project` or `127.0.0.1:5000/aihpc`. */
export interface HarborLocation {
  /** `host[:port]` */
  readonly registry: string;
  /** the project, possibly with sub-paths (`team/images`) */
  readonly project: string;
}

/**
 * Everything the planner needs to know besides the snapshot and the requested images.
 *
 * @example
 * const policy: AliasPolicy = { mode: 'internal', harbor: { registry: 'harbor.corp.local', project: 'proj' },
 *   harborLayout: 'path', shortNames: false, onConflict: 'report', harborTags: false };
 */
export interface AliasPolicy {
  readonly mode: NetworkMode;
  readonly harbor?: HarborLocation;
  readonly harborLayout: HarborLayout;
  /** Also keep `openldap:stable` / `localhost/openldap:stable` for namespaced Docker Hub images. */
  readonly shortNames: boolean;
  readonly onConflict: ConflictPolicy;
  /** Create the Harbor name by tagging too (only for pushing to Harbor). Off by default. */
  readonly harborTags: boolean;
}
