#!/usr/bin/env node
// The CLI is TypeScript run by tsx (no build step): register the loader, then hand over.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
