export interface ColorContext {
  /** Whether the output stream is a terminal (`process.stdout.isTTY`). */
  readonly isTTY: boolean | undefined;
  /** The environment, read for `NO_COLOR` and `TERM`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--color` (true), `--no-color` (false), or neither (undefined). */
  readonly flag?: boolean | undefined;
}

/**
 * Whether `text` output gets ANSI colour. `--no-color` and `NO_COLOR` (set to any value, even empty) always win;
 * otherwise colour only on a terminal that is not `TERM=dumb`. `--color` forces it on a non-terminal (piping
 * to `less -R`), but never against `NO_COLOR`.
 *
 * @example
 * renderPlan(plan, { format: 'text', color: shouldUseColor({ isTTY: process.stdout.isTTY, env: process.env, flag }) })
 */
export const shouldUseColor = ({ isTTY, env, flag }: ColorContext): boolean => {
  if (flag === false || env['NO_COLOR'] !== undefined) return false;
  if (flag === true) return true;
  return isTTY === true && env['TERM'] !== 'dumb';
};
