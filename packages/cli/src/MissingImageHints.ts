import type { AliasPolicy, EngineKind, Finding, Snapshot } from '@imgalias/core';
import { familiarName, parseReference } from '@imgalias/core';
import { familyOf, mirrorRulesOf, spellReference } from '@imgalias/core/internal';

/**
 * What to do about each family with no member in the store: which name to pull, from where the mode allows,
 * and the command that does it. In internal mode that is the Harbor copy, never the public origin; an image
 * Harbor has no name for gets no pull advice at all. Every hint is true for the policy it is given.
 *
 * @example
 * hintsForMissing(plan.findings, { policy, engine: 'docker' })
 * // ['redis:7-alpine is not in the store: pull its Harbor copy (docker pull harbor.corp.local/proj/redis:7-alpine) or run `imgalias prefetch redis:7-alpine`, then run this command again.']
 */
export function hintsForMissing(
  findings: readonly Finding[],
  options: { readonly policy: AliasPolicy; readonly engine: EngineKind },
): string[] {
  const { policy, engine } = options;
  return findings.flatMap((finding) => {
    if (finding._tag !== 'Missing') return [];
    const origin = parseReference(finding.family);
    if (origin._tag === 'Left') return [];
    const name = familiarName(finding.family);
    const prefetch = `\`imgalias prefetch ${name}\``;
    if (policy.mode === 'external') {
      return [
        `${name} is not in the store: pull it (${engine} pull ${spellReference(origin.right, engine)}) or run ${prefetch}, then run this command again.`,
      ];
    }
    const harbor = familyOf(origin.right, policy).members.find((member) => member.role === 'harbor');
    const harborRef = harbor === undefined ? undefined : parseReference(harbor.name);
    if (mirrorRulesOf(policy).length > 0 && (harborRef === undefined || harborRef._tag === 'Left')) {
      // Rules are set, but none gives this origin a Harbor name (no rule for its registry and no * rule, a
      // too-deep flatten level, or a Harbor name two requests share): prefetch could not pull it either.
      return [
        `${name} is not in the store, and in internal mode only Harbor may supply it, but the mirror rules give it no Harbor name (no rule for ${origin.right.domain} and no * rule, or a mirror finding says why): add one (--mirror ${origin.right.domain}=HOST[:PORT]/PROJECT[@LAYOUT]) or load it into the store (${engine} load -i FILE), then run this command again.`,
      ];
    }
    if (harborRef === undefined || harborRef._tag === 'Left') {
      return [
        `${name} is not in the store, and in internal mode only Harbor may supply it, but no Harbor is configured: set --harbor HOST[:PORT]/PROJECT (or IMGALIAS_HARBOR / INTERNAL_REGISTRY), then run ${prefetch}.`,
      ];
    }
    return [
      `${name} is not in the store: pull its Harbor copy (${engine} pull ${spellReference(harborRef.right, engine)}) or run ${prefetch}, then run this command again.`,
    ];
  });
}

/**
 * A note for when the store read back empty and so every requested image is missing: not the same news as some
 * images missing. Podman answers `[]` with exit 0 when its image store (`images.json`) is damaged, or when it was
 * pointed at another storage root (root and rootless users have separate stores), so "missing" may be a store
 * that could not be read rather than images that were never pulled.
 *
 * @example
 * emptyStoreNote({ snapshot, missing: 2, engine: 'podman' })
 * // 'the podman image store read back empty: it lists no image at all, so every requested image is missing. ...'
 */
export function emptyStoreNote(options: {
  readonly snapshot: Snapshot;
  /** How many requested images (families) are missing. */
  readonly missing: number;
  readonly engine: EngineKind;
  /** The `--snapshot` file the snapshot came from, if any. */
  readonly snapshotFile?: string | undefined;
}): string | undefined {
  if (options.snapshot.images.length > 0 || options.missing === 0) return undefined;
  if (options.snapshotFile !== undefined) {
    return `the snapshot file ${options.snapshotFile} lists no image at all, so every requested image is missing: save it again with \`imgalias snapshot > FILE\` on the host whose store you mean.`;
  }
  const cause =
    options.engine === 'podman'
      ? 'podman lists nothing, with success, when its image store (images.json under its storage root) is damaged, or when it reads another storage root than the one you expect (root and rootless users have separate stores; check --root, CONTAINERS_STORAGE_CONF)'
      : `check that ${options.engine} talks to the engine you expect (DOCKER_HOST, DOCKER_CONTEXT)`;
  return `the ${options.engine} image store read back empty: it lists no image at all, so every requested image is missing. If images should be there, run \`${options.engine} images\` to compare: ${cause}.`;
}
