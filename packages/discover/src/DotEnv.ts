import type { DiscoveryFinding } from './DiscoveryFinding.js';

export interface ParseDotEnvOptions {
  /** The file's path as it should appear in findings; `.env` when not given. */
  readonly file?: string;
}

export interface DotEnv {
  /** Keys in file order; a repeated key keeps its last value. */
  readonly env: ReadonlyMap<string, string>;
  readonly findings: readonly DiscoveryFinding[];
}

// Compose accepts dots and dashes in keys; a shell would not, but these files are data, not scripts.
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const EXPORT = /^export[ \t]+/;

const DOUBLE_QUOTED_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Reads a quoted value that may run over several lines; returns the value and where the closing quote is. */
const readQuoted = (
  lines: readonly string[],
  start: { readonly line: number; readonly column: number },
  quote: '"' | "'",
): { readonly value: string; readonly line: number; readonly after: number } | undefined => {
  let value = '';
  for (let lineIndex = start.line; lineIndex < lines.length; lineIndex += 1) {
    const text = lines[lineIndex] ?? '';
    let column = lineIndex === start.line ? start.column : 0;
    while (column < text.length) {
      const ch = text.charAt(column);
      if (ch === quote) return { value, line: lineIndex, after: column + 1 };
      if (quote === '"' && ch === '\\' && column + 1 < text.length) {
        const next = text.charAt(column + 1);
        // Unknown escapes keep their backslash, so Windows-style paths survive.
        value += DOUBLE_QUOTED_ESCAPES[next] ?? `\\${next}`;
        column += 2;
        continue;
      }
      value += ch;
      column += 1;
    }
    value += '\n';
  }
  return undefined;
};

/**
 * Parses a `.env` file as data: `KEY=value`, `export KEY=value`, `# comments`, blank lines, empty values,
 * single quotes (literal), double quotes (escapes `\n` `\r` `\t` `\"` `\\`; may span lines), and unquoted values
 * that end at ` #` (an inline comment) with surrounding blanks trimmed.
 *
 * Nothing is executed or expanded: `$(cmd)`, backticks and `${OTHER}` stay literal text. (Compose would expand
 * `${OTHER}` in unquoted and double-quoted values; discovery deliberately does not.)
 *
 * @example
 * parseDotEnv('# mode\nexport AI_INFRA_NETWORK_ENV=internal\n').env.get('AI_INFRA_NETWORK_ENV') // 'internal'
 */
export const parseDotEnv = (text: string, options: ParseDotEnvOptions = {}): DotEnv => {
  const file = options.file ?? '.env';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const env = new Map<string, string>();
  const findings: DiscoveryFinding[] = [];
  const problem = (lineIndex: number, detail: string): void => {
    findings.push({ _tag: 'DotEnvSyntax', file, line: lineIndex + 1, detail });
  };

  for (let index = 0; index < lines.length; index += 1) {
    const original = lines[index] ?? '';
    const trimmed = original.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const statement = trimmed.replace(EXPORT, '');
    const equals = statement.indexOf('=');
    if (equals < 0) {
      problem(index, `expected KEY=value, found "${trimmed}"`);
      continue;
    }
    const key = statement.slice(0, equals).trim();
    if (!KEY.test(key)) {
      problem(index, `"${key}" is not a variable name (letters, digits, _ . -, not starting with a digit)`);
      continue;
    }
    const rest = statement.slice(equals + 1).replace(/^[ \t]+/, '');
    const quote = rest.charAt(0);
    if (quote === '"' || quote === "'") {
      // Keys cannot hold quotes, so the line's first quote opens the value; reading from the original lines
      // lets a quoted value continue onto the following ones.
      const read = readQuoted(lines, { line: index, column: original.indexOf(quote) + 1 }, quote);
      if (read === undefined) {
        problem(index, `the value of ${key} opens a ${quote === '"' ? 'double' : 'single'} quote that is never closed`);
        break;
      }
      const trailing = (lines[read.line] ?? '').slice(read.after).trim();
      if (trailing !== '' && !trailing.startsWith('#')) {
        problem(read.line, `unexpected text after the closing quote of ${key}: "${trailing}"`);
      } else {
        env.set(key, read.value);
      }
      index = read.line;
      continue;
    }
    const comment = rest.search(/[ \t]#/);
    env.set(key, (comment < 0 ? rest : rest.slice(0, comment)).trim());
  }
  return { env, findings };
};
