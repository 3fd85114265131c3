import path from 'node:path';
import type { Settings } from '@imgalias/project/internal';

/**
 * How rendered plans name the snapshot they were computed from (the shell header, the Markdown intro): the
 * file's base name for `--snapshot`, so golden output does not depend on where the file lives, else the engine.
 */
export const snapshotLabel = (settings: Settings): string =>
  settings.snapshotFile === undefined ? `${settings.engine} image store` : path.basename(settings.snapshotFile);
