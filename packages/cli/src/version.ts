// tsup replaces __IMGALIAS_VERSION__ with package.json's version at build time (see tsup.config.ts), so the
// bundle never reads files to answer --version; unbundled (in unit tests) the placeholder stays undefined.
declare const __IMGALIAS_VERSION__: string | undefined;

/** The version of @imgalias/cli this program was built from. */
export const version: string = typeof __IMGALIAS_VERSION__ === 'string' ? __IMGALIAS_VERSION__ : '0.0.0-development';
