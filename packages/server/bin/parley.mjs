#!/usr/bin/env node
// The installed `parley`: compiled JavaScript only (dist/ is built by scripts/build.mjs before
// packing). In the repository, `pnpm --filter @parley/server parley -- …` runs the sources.
import { runCli } from '../dist/cli.js';

process.exitCode = await runCli(process.argv.slice(2));
