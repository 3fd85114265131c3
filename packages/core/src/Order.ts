/** Plain code-unit order: the same on every machine and locale, unlike `localeCompare`. Plans sort with it. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
