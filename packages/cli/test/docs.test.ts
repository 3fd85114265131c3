import { describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createProgram } from '../src/main.js';
import { captureStream, runInProcess } from './support/runInProcess.js';

/*
 * docs/cli.md embeds the `--help` of the program and of every command, each in a ```text block right after a
 * `<!-- help: imgalias NAME -->` marker. This test fails when one differs from the program, so the reference
 * cannot drift. `UPDATE_DOCS=1` rewrites the blocks from the program (and appends a section for a command the
 * file does not have yet), for a reviewer to read in the diff.
 */
const docsFile = fileURLToPath(new URL('../../../docs/cli.md', import.meta.url));
const cwd = fileURLToPath(new URL('.', import.meta.url));

const commandNames = (): string[] => {
  const io = { stdout: captureStream(), stderr: captureStream(), env: {}, cwd };
  return createProgram(io).program.commands.map((command) => command.name());
};

const marker = (title: string): string => `<!-- help: ${title} -->`;
const blockPattern = (title: string): RegExp =>
  new RegExp(`${marker(title).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\`\`\`text\\n([\\s\\S]*?)\`\`\`\\n`);

async function helpOf(args: readonly string[]): Promise<string> {
  const result = await runInProcess([...args, '--help'], { cwd });
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

const sections: readonly (readonly string[])[] = [[], ...commandNames().map((name) => [name])];

describe('docs/cli.md', () => {
  if (process.env['UPDATE_DOCS'] === '1') {
    test('is regenerated from --help (UPDATE_DOCS=1)', async () => {
      let text = readFileSync(docsFile, 'utf8');
      for (const args of sections) {
        const title = ['imgalias', ...args].join(' ');
        const block = `${marker(title)}\n\`\`\`text\n${await helpOf(args)}\`\`\`\n`;
        text = blockPattern(title).test(text)
          ? text.replace(blockPattern(title), () => block)
          : `${text.trimEnd()}\n\n## ${title}\n\n${block}`;
      }
      writeFileSync(docsFile, text);
    });
    return;
  }

  test.each(sections.map((args) => [['imgalias', ...args].join(' '), args] as const))(
    'embeds the exact --help of `%s`',
    async (title, args) => {
      const match = blockPattern(title).exec(readFileSync(docsFile, 'utf8'));
      if (match === null) throw new Error(`docs/cli.md has no "${marker(title)}" block; run the tests with UPDATE_DOCS=1`);
      expect(match[1]).toBe(await helpOf(args));
    },
  );
});
