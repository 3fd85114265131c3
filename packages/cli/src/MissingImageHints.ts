import type { AliasPolicy, EngineKind, Finding } from '@imgalias/core';
import { familiarName, familyOf, mirrorRulesOf, parseReference, spellReference } from '@imgalias/core';

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
