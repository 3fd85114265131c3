/** The CLI's display vocabulary: how counts read in its own reports (image ids: `shortImageId` in @imgalias/render). */

/** `1 image`, `3 images`; `many` for irregular plurals. */
export const plural = (count: number, word: string, many = `${word}s`): string => `${count} ${count === 1 ? word : many}`;
