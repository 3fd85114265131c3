import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway project directory for one test; `files` maps relative paths to contents. */
export interface Project {
  readonly dir: string;
  path(relative: string): string;
  write(relative: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createProject(files: Readonly<Record<string, string>> = {}): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), 'imgalias-config-'));
  const project: Project = {
    dir,
    path: (relative) => join(dir, relative),
    write: async (relative, content) => {
      const file = join(dir, relative);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  for (const [relative, content] of Object.entries(files)) await project.write(relative, content);
  return project;
}

/** `.env` text from a record, one `KEY=value` per line. */
export const dotEnvText = (values: Readonly<Record<string, string>>): string =>
  Object.entries(values)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
