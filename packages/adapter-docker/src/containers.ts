import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { ContainerUse, ImagePlatform, StoreError } from '@imgalias/core';
import type { EngineRunner } from './EngineRunner.js';
import { normaliseImageId } from '@imgalias/core/internal';

const unexpected = (runner: EngineRunner, message: string): StoreError => ({ _tag: 'UnexpectedOutput', engine: runner.engine, message });

/**
 * Every container (running or stopped) with the id of the image it was created from.
 *
 * `ps` shows an image by the name it was run with, which may since have moved to another image, so docker and
 * nerdctl are asked twice: `ps -aq` for the ids, then one `container inspect` for all of them, whose `.Image`
 * is the image id. Podman's `ps --format json` carries `ImageID` itself: one process.
 */
export const listContainers = async (runner: EngineRunner): Promise<Either<StoreError, readonly ContainerUse[]>> => {
  if (runner.engine === 'podman') {
    const listed = await runner.run(['ps', '--all', '--format', 'json']);
    if (listed._tag === 'Left') return listed;
    let rows: unknown;
    try {
      rows = JSON.parse(listed.right.stdout.trim() === '' ? '[]' : listed.right.stdout);
    } catch {
      return left(unexpected(runner, `the container list is not JSON: ${listed.right.stdout.slice(0, 120)}`));
    }
    if (!Array.isArray(rows)) return left(unexpected(runner, 'the container list is not a JSON array'));
    const uses: ContainerUse[] = [];
    for (const row of rows as Record<string, unknown>[]) {
      const id = row['Id'] ?? row['ID'];
      const imageId = row['ImageID'] ?? row['ImageId'];
      if (typeof id !== 'string' || typeof imageId !== 'string') return left(unexpected(runner, 'a container has no Id or ImageID'));
      const names = row['Names'];
      const name = Array.isArray(names) && typeof names[0] === 'string' ? names[0] : undefined;
      uses.push(name === undefined ? { id, imageId: normaliseImageId(imageId) } : { id, name, imageId: normaliseImageId(imageId) });
    }
    return right(uses);
  }
  const ids = await runner.run(['ps', '--all', '--quiet', '--no-trunc']);
  if (ids._tag === 'Left') return ids;
  const list = ids.right.stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (list.length === 0) return right([]);
  // A container removed between the two calls makes inspect fail for it; the rest are still printed.
  const inspected = await runner.run(['container', 'inspect', '--format', '{{.Id}}\t{{.Image}}\t{{.Name}}', ...list]);
  const stdout = inspected._tag === 'Right' ? inspected.right.stdout : '';
  if (inspected._tag === 'Left' && inspected.left._tag !== 'CommandFailed') return inspected;
  const uses: ContainerUse[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const [id, imageId, name] = line.split('\t');
    if (id === undefined || imageId === undefined || imageId === '') return left(unexpected(runner, `cannot read container line: ${line.slice(0, 120)}`));
    const bare = name?.replace(/^\//, '') ?? '';
    uses.push(bare === '' ? { id, imageId: normaliseImageId(imageId) } : { id, name: bare, imageId: normaliseImageId(imageId) });
  }
  return right(uses);
};


const platformOf = (row: Record<string, unknown>): string | undefined => {
  const os = row['Os'];
  const arch = row['Architecture'];
  const variant = row['Variant'];
  if (typeof os !== 'string' || typeof arch !== 'string' || os === '' || arch === '') return undefined;
  return typeof variant === 'string' && variant !== '' ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
};

/** The platforms of the given images, in one `image inspect` call. */
export const inspectPlatforms = async (runner: EngineRunner, imageIds: readonly string[]): Promise<Either<StoreError, readonly ImagePlatform[]>> => {
  if (imageIds.length === 0) return right([]);
  const inspected = await runner.run(['image', 'inspect', ...imageIds]);
  if (inspected._tag === 'Left') return inspected;
  let rows: unknown;
  try {
    rows = JSON.parse(inspected.right.stdout);
  } catch {
    return left(unexpected(runner, `image inspect did not print JSON: ${inspected.right.stdout.slice(0, 120)}`));
  }
  if (!Array.isArray(rows)) return left(unexpected(runner, 'image inspect did not print a JSON array'));
  const platforms: ImagePlatform[] = [];
  for (const row of rows as Record<string, unknown>[]) {
    const id = row['Id'];
    const platform = platformOf(row);
    if (typeof id === 'string' && platform !== undefined) platforms.push({ imageId: normaliseImageId(id), platform });
  }
  return right(platforms);
};

/** The engine's own platform (`linux/amd64`): what it pulls when no `--platform` is given. */
export const enginePlatform = async (runner: EngineRunner): Promise<Either<StoreError, string>> => {
  const format = runner.engine === 'podman' ? '{{.Client.OsArch}}' : '{{.Server.Os}}/{{.Server.Arch}}';
  const version = await runner.run(['version', '--format', format]);
  if (version._tag === 'Left') return version;
  const platform = version.right.stdout.trim();
  return /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(platform) ? right(platform) : left(unexpected(runner, `cannot read the engine platform from ${JSON.stringify(platform)}`));
};

/** True when an image built for `actual` runs as `wanted`; a wanted platform without a variant accepts any. */
export const platformMatches = (wanted: string, actual: string): boolean => {
  const [wOs, wArch, wVariant] = wanted.split('/');
  const [aOs, aArch, aVariant] = actual.split('/');
  return wOs === aOs && wArch === aArch && (wVariant === undefined || wVariant === aVariant);
};
