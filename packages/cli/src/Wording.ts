/** The CLI's display vocabulary: how counts and image ids read in its own reports. */

/** `1 image`, `3 images`; `many` for irregular plurals. */
export const plural = (count: number, word: string, many = `${word}s`): string => `${count} ${count === 1 ? word : many}`;

/** The 12 hex digits `docker images` shows, without the algorithm: `abcd12345678`. */
export const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
