// The bundler inlines this file's one field it reads; under tsx it is read from disk.
import manifest from '../../package.json' with { type: 'json' };

/** The version of @parley/server this CLI belongs to. */
export const VERSION: string = manifest.version;
