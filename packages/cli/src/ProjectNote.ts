/** The one note line for `projectFilesHere`'s result, or undefined when there is nothing to say. */
export const projectNote = (command: string, files: readonly string[]): string | undefined =>
  files.length === 0
    ? undefined
    : `note: ${command} covers the image store and the images named, not the project here (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''}): add --from . to include its images (fix reads them by default).`;
