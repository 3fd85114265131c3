/**
 * Variable substitution for the two languages discovery reads: Dockerfile words (BuildKit's shell lexer) and
 * compose values (the compose specification). Both are done here, by hand, because dockerfile-ast leaves
 * `${VAR:-default}` and undeclared variables literal and the yaml library does no interpolation at all.
 *
 * Nothing is ever evaluated: the only operation is looking a name up in a map the caller supplies.
 */

/** What a name stands for when it is looked up. */
export type VariableValue =
  | { readonly _tag: 'Set'; readonly value: string }
  | { readonly _tag: 'Unset' }
  /** The variable exists but its own value could not be worked out (an ARG default naming an unset ARG). */
  | { readonly _tag: 'Unresolved'; readonly problems: readonly InterpolationProblem[] };

export type VariableLookup = (name: string) => VariableValue;

/**
 * `dockerfile`: quotes and the escape character are processed, a `$` not followed by a name is literal.
 * `compose`: `$$` is a literal `$`, a `$` followed by anything else that is not a name is an error, quotes are
 * data (YAML has already removed its own).
 */
export type InterpolationDialect = 'dockerfile' | 'compose';

export type InterpolationProblem =
  | {
      /** `$VAR` / `${VAR}` with VAR unset. `via` names the variable whose value needed it, when not direct. */
      readonly _tag: 'UnsetVariable';
      readonly variable: string;
      readonly via?: string;
    }
  | {
      /** `${VAR:?message}` or `${VAR?message}` with VAR unset (or empty, for `:?`). */
      readonly _tag: 'RequiredVariable';
      readonly variable: string;
      readonly message: string;
      readonly via?: string;
    }
  | {
      /** A form this reader does not implement (`${VAR#pattern}`, `${VAR%pattern}`, `${VAR/a/b}`). */
      readonly _tag: 'UnsupportedExpression';
      readonly expression: string;
    }
  | {
      /** Not valid syntax: an unterminated `${`, an empty name, or (compose) a lone `$`. */
      readonly _tag: 'InvalidSyntax';
      readonly detail: string;
    };

export interface InterpolationResult {
  /** The substituted text; meaningful only when `problems` is empty. */
  readonly value: string;
  readonly problems: readonly InterpolationProblem[];
}

export interface InterpolateOptions {
  readonly lookup: VariableLookup;
  readonly dialect: InterpolationDialect;
  /** Dockerfile escape character (`\` unless the `# escape=` directive says otherwise). */
  readonly escapeChar?: string;
}

type Operator = ':-' | '-' | ':+' | '+' | ':?' | '?';

type Segment =
  | { readonly _tag: 'Text'; readonly text: string }
  | { readonly _tag: 'Variable'; readonly name: string }
  | { readonly _tag: 'Modified'; readonly name: string; readonly operator: Operator; readonly word: readonly Segment[] }
  | { readonly _tag: 'Problem'; readonly problem: InterpolationProblem };

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const OPERATORS: readonly Operator[] = [':-', ':+', ':?', '-', '+', '?'];

class Parser {
  private index = 0;

  constructor(
    private readonly input: string,
    private readonly dialect: InterpolationDialect,
    private readonly escapeChar: string,
  ) {}

  /** Reads segments until the end of input, or (inside `${NAME:-word}`) until the unmatched `}`. */
  parse(insideBraces: boolean): { segments: Segment[]; closed: boolean } {
    const segments: Segment[] = [];
    let text = '';
    const flush = (): void => {
      if (text !== '') segments.push({ _tag: 'Text', text });
      text = '';
    };
    while (this.index < this.input.length) {
      const ch = this.input.charAt(this.index);
      if (insideBraces && ch === '}') {
        this.index += 1;
        flush();
        return { segments, closed: true };
      }
      if (this.dialect === 'dockerfile' && ch === this.escapeChar) {
        // The escape character makes the next character literal; a trailing one stands for itself.
        const next = this.input.charAt(this.index + 1);
        text += next === '' ? ch : next;
        this.index += next === '' ? 1 : 2;
        continue;
      }
      if (this.dialect === 'dockerfile' && ch === "'") {
        const end = this.input.indexOf("'", this.index + 1);
        if (end < 0) {
          flush();
          segments.push({ _tag: 'Problem', problem: { _tag: 'InvalidSyntax', detail: 'unterminated single quote' } });
          this.index = this.input.length;
          continue;
        }
        text += this.input.slice(this.index + 1, end);
        this.index = end + 1;
        continue;
      }
      if (this.dialect === 'dockerfile' && ch === '"') {
        flush();
        this.index += 1;
        segments.push(...this.parseDoubleQuoted());
        continue;
      }
      if (ch === '$') {
        flush();
        segments.push(...this.parseDollar());
        continue;
      }
      text += ch;
      this.index += 1;
    }
    flush();
    return { segments, closed: false };
  }

  private parseDoubleQuoted(): Segment[] {
    const segments: Segment[] = [];
    let text = '';
    while (this.index < this.input.length) {
      const ch = this.input.charAt(this.index);
      if (ch === '"') {
        this.index += 1;
        if (text !== '') segments.push({ _tag: 'Text', text });
        return segments;
      }
      if (ch === this.escapeChar) {
        // Inside double quotes the shell lexer only unescapes what would otherwise be special there.
        const next = this.input.charAt(this.index + 1);
        if (next === '"' || next === '$' || next === this.escapeChar) {
          text += next;
          this.index += 2;
        } else {
          text += ch;
          this.index += 1;
        }
        continue;
      }
      if (ch === '$') {
        if (text !== '') segments.push({ _tag: 'Text', text });
        text = '';
        segments.push(...this.parseDollar());
        continue;
      }
      text += ch;
      this.index += 1;
    }
    if (text !== '') segments.push({ _tag: 'Text', text });
    segments.push({ _tag: 'Problem', problem: { _tag: 'InvalidSyntax', detail: 'unterminated double quote' } });
    return segments;
  }

  /** At a `$`. */
  private parseDollar(): Segment[] {
    const start = this.index;
    this.index += 1;
    const next = this.input.charAt(this.index);
    if (this.dialect === 'compose' && next === '$') {
      this.index += 1;
      return [{ _tag: 'Text', text: '$' }];
    }
    if (next === '{') {
      this.index += 1;
      return [this.parseBraced(start)];
    }
    if (NAME_START.test(next)) return [{ _tag: 'Variable', name: this.readName() }];
    if (this.dialect === 'compose') {
      return [
        {
          _tag: 'Problem',
          problem: { _tag: 'InvalidSyntax', detail: `"$" at position ${start + 1} starts no variable (write "$$" for a literal "$")` },
        },
      ];
    }
    return [{ _tag: 'Text', text: '$' }];
  }

  private readName(): string {
    const start = this.index;
    while (this.index < this.input.length && NAME_CHAR.test(this.input.charAt(this.index))) this.index += 1;
    return this.input.slice(start, this.index);
  }

  /** After `${`. */
  private parseBraced(start: number): Segment {
    const name = NAME_START.test(this.input.charAt(this.index)) ? this.readName() : '';
    const unterminated: Segment = {
      _tag: 'Problem',
      problem: { _tag: 'InvalidSyntax', detail: `unterminated "\${" at position ${start + 1}` },
    };
    if (name === '') {
      const close = this.input.indexOf('}', this.index);
      this.index = close < 0 ? this.input.length : close + 1;
      return close < 0
        ? unterminated
        : { _tag: 'Problem', problem: { _tag: 'InvalidSyntax', detail: `"${this.input.slice(start, close + 1)}" names no variable` } };
    }
    if (this.input.charAt(this.index) === '}') {
      this.index += 1;
      return { _tag: 'Variable', name };
    }
    const operator = OPERATORS.find((op) => this.input.startsWith(op, this.index));
    if (operator === undefined) {
      const close = this.input.indexOf('}', this.index);
      this.index = close < 0 ? this.input.length : close + 1;
      if (close < 0) return unterminated;
      const expression = this.input.slice(start, close + 1);
      return {
        _tag: 'Problem',
        problem:
          this.dialect === 'dockerfile'
            ? { _tag: 'UnsupportedExpression', expression }
            : { _tag: 'InvalidSyntax', detail: `"${expression}" is not a compose interpolation` },
      };
    }
    this.index += operator.length;
    const word = this.parse(true);
    if (!word.closed) return unterminated;
    return { _tag: 'Modified', name, operator, word: word.segments };
  }
}

interface Evaluation {
  value: string;
  problems: InterpolationProblem[];
}

const withVia = (problem: InterpolationProblem, via: string): InterpolationProblem =>
  (problem._tag === 'UnsetVariable' || problem._tag === 'RequiredVariable') && problem.via === undefined
    ? { ...problem, via }
    : problem;

/** Only the branch the operator selects is evaluated, so `${SET:-${UNSET}}` has no problem. */
const evaluate = (segments: readonly Segment[], lookup: VariableLookup): Evaluation => {
  const out: Evaluation = { value: '', problems: [] };
  for (const segment of segments) {
    switch (segment._tag) {
      case 'Text':
        out.value += segment.text;
        break;
      case 'Problem':
        out.problems.push(segment.problem);
        break;
      case 'Variable': {
        const found = lookup(segment.name);
        if (found._tag === 'Set') out.value += found.value;
        else if (found._tag === 'Unset') out.problems.push({ _tag: 'UnsetVariable', variable: segment.name });
        else out.problems.push(...found.problems.map((p) => withVia(p, segment.name)));
        break;
      }
      case 'Modified': {
        const found = lookup(segment.name);
        if (found._tag === 'Unresolved') {
          // Whether the operator applies depends on the value we could not work out.
          out.problems.push(...found.problems.map((p) => withVia(p, segment.name)));
          break;
        }
        const isSet = found._tag === 'Set';
        const isNonEmpty = isSet && found.value !== '';
        const present = segment.operator.startsWith(':') ? isNonEmpty : isSet;
        const current = isSet ? found.value : '';
        const word = (): Evaluation => evaluate(segment.word, lookup);
        let part: Evaluation;
        switch (segment.operator) {
          case ':-':
          case '-':
            part = present ? { value: current, problems: [] } : word();
            break;
          case ':+':
          case '+':
            part = present ? word() : { value: '', problems: [] };
            break;
          case ':?':
          case '?': {
            if (present) {
              part = { value: current, problems: [] };
            } else {
              const message = word();
              part = {
                value: '',
                problems: [{ _tag: 'RequiredVariable', variable: segment.name, message: message.value }, ...message.problems],
              };
            }
            break;
          }
        }
        out.value += part.value;
        out.problems.push(...part.problems);
        break;
      }
    }
  }
  return out;
};

/**
 * Substitutes variables in `input`. Every problem is collected (not only the first) so one finding can name
 * all of them; when there are problems the returned value must not be used as an image name.
 *
 * @example
 * interpolate('redis:${TAG:-7}', { dialect: 'compose', lookup: () => ({ _tag: 'Unset' }) })
 * // { value: 'redis:7', problems: [] }
 */
export const interpolate = (input: string, options: InterpolateOptions): InterpolationResult => {
  const parser = new Parser(input, options.dialect, options.escapeChar ?? '\\');
  const { segments } = parser.parse(false);
  return evaluate(segments, options.lookup);
};

/** A lookup over a plain map: names in the map are set (possibly to ''), all others unset. */
export const lookupIn =
  (values: ReadonlyMap<string, string>): VariableLookup =>
  (name) => {
    const value = values.get(name);
    return value === undefined ? { _tag: 'Unset' } : { _tag: 'Set', value };
  };
