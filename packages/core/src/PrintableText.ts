/**
 * Untrusted text (a Dockerfile line, a `.env` value, an engine's stderr, a name from a hand-written snapshot) made
 * safe to show a person: every message and renderer goes through these, so a hostile value can neither rewrite the
 * terminal (`ESC]0;...` sets its title, `ESC[2J` clears it) nor flood it.
 */

/** The longest excerpt of an untrusted value a message shows, in characters. */
export const EXCERPT_LENGTH = 200;

// C0 controls (newline and tab included), DEL, C1 controls, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// The same, except newline; and an SGR sequence (colour, bold) as a whole, which `keepColors` lets through.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_SGR = /\u001b\[[0-9;]*m|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

const escape = (ch: string): string => {
  const code = ch.charCodeAt(0);
  // C0 as \xNN; the rest as \uNNNN, which is also a valid escape inside a JSON string, so escaping printed
  // JSON (which can hold DEL, C1 and U+2028 raw) keeps it valid and equal.
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * Replaces control characters with visible escapes: `ESC` becomes `\x1b`, a newline `\x0a`, DEL `\u007f`.
 * With `lines: true`, newlines are kept and our own colour sequences (SGR, `ESC[...m`) pass: the form for a
 * whole block of output, whose values were escaped where they were put in.
 *
 * @example
 * printable('evil\u001b]0;pwned\u0007') // 'evil\\x1b]0;pwned\\x07'
 */
export const printable = (text: string, options: { readonly lines?: boolean } = {}): string =>
  options.lines === true
    ? text.replace(CONTROL_OR_SGR, (match) => (match.length > 1 ? match : escape(match)))
    : text.replace(CONTROL, escape);

/**
 * At most `maxLength` characters of `text`, made printable, saying how much was left out.
 *
 * @example
 * excerpt('a'.repeat(250)) // 'aaa…a… (50 more characters)' (200 a's)
 */
export const excerpt = (text: string, maxLength: number = EXCERPT_LENGTH): string =>
  text.length <= maxLength ? printable(text) : `${printable(text.slice(0, maxLength))}… (${text.length - maxLength} more characters)`;

/**
 * A value quoted for a message, as `JSON.stringify` would quote it, but bounded and printable.
 *
 * @example
 * quoteExcerpt('redis:7; rm -rf /') // '"redis:7; rm -rf /"'
 */
export const quoteExcerpt = (text: string, maxLength: number = EXCERPT_LENGTH): string =>
  text.length <= maxLength
    ? printable(JSON.stringify(text))
    : `${printable(JSON.stringify(text.slice(0, maxLength)))}… (${text.length - maxLength} more characters)`;
