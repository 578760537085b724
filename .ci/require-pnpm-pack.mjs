#!/usr/bin/env node
// `prepack` guard for the published packages. Their package.json points `exports` at src/*.ts for
// the workspace and at the compiled dist/ under `publishConfig`, and names sibling packages as
// `workspace:*`: only pnpm rewrites both when it packs. A tarball made by npm (or yarn) installs,
// then fails at the first import (ERR_MODULE_NOT_FOUND …/src/index.ts) — so refuse it here.
// Which tool runs this script: its own path in npm_execpath, which npm and pnpm each set for their
// scripts. The user agent is no proof: npm reads `npm_config_user_agent` from the environment as
// its own config, so `npm pack` run under a pnpm script would pass itself off as pnpm.
const agent = process.env.npm_config_user_agent ?? '';
const tool = (process.env.npm_execpath ?? '').split(/[\\/]/).pop() ?? '';
const isPnpm = tool ? /^pnpm/.test(tool) : /^pnpm\//.test(agent);
if (!isPnpm) {
  const name = process.env.npm_package_name ?? 'this package';
  console.error(`${name}: pack and publish it with pnpm, which applies publishConfig and resolves workspace:* versions
(a tarball packed by ${tool || agent.split(' ')[0] || 'this tool'} would install but fail to import). From the repository's root:
  node .ci/pnpm.mjs --filter ${name} pack        # or: … publish`);
  process.exit(1);
}
