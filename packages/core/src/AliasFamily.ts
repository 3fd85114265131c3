/** The role a name plays in its family; also the order sources are ranked in, per mode. */
export type MemberRole = 'harbor' | 'localhost' | 'origin' | 'short' | 'localhost-short';

/** One name of a family, in canonical form (`docker.io/library/redis:7-alpine`). */
export interface FamilyMember {
  readonly role: MemberRole;
  readonly name: string;
}

/**
 * All names one image should have under a policy: the origin, its `localhost/` twin, the Harbor copy when a
 * Harbor location is configured, and short names when enabled.
 */
export interface AliasFamily {
  /** canonical name of the origin; the family's identity */
  readonly origin: string;
  readonly members: readonly FamilyMember[];
}
