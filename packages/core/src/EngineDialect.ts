import type { ImageReference } from './ImageReference.js';
import { formatReference, parseReference } from './ImageReference.js';
import type { EngineKind } from './ImageStore.js';

/**
 * Spells a reference the way an engine's CLI must be given it so it names the intended image.
 *
 * Docker and nerdctl read an unqualified name as Docker Hub, so the familiar spelling (`redis:7-alpine`) is
 * right there. Podman qualifies an unqualified name with `localhost/` (or asks a short-name resolver), so a
 * Docker Hub name has to be spelled in full there (`docker.io/library/redis:7-alpine`); `localhost/...` names
 * are already fully qualified and stay as they are.
 *
 * A string is parsed first; plan names are canonical and always parse. A string that does not parse is
 * returned unchanged so the engine, not the speller, reports it.
 *
 * @example
 * spellReference('docker.io/library/redis:7-alpine', 'docker') // 'redis:7-alpine'
 * spellReference('docker.io/library/redis:7-alpine', 'podman') // 'docker.io/library/redis:7-alpine'
 */
export const spellReference = (ref: ImageReference | string, engine: EngineKind): string => {
  if (typeof ref === 'string') {
    const parsed = parseReference(ref);
    return parsed._tag === 'Right' ? spellReference(parsed.right, engine) : ref;
  }
  switch (engine) {
    case 'docker':
    case 'nerdctl':
      return formatReference(ref, 'familiar');
    case 'podman':
      return formatReference(ref, 'canonical');
  }
};
