import serve from './cli/serve.ts';
import { processIo } from './cli/io.ts';

// `node dist/main.js` (`pnpm start`): the same as `parley serve`, configuration from the
// environment; relative paths resolve against the process's own folder.
process.exitCode = await serve(process.argv.slice(2), { ...processIo, cwd: process.cwd() });
