/**
 * Packing and installing the workspace's packages the way a user gets them: `pnpm pack`
 * (prepack builds each; `npm pack` refuses, see npm-pack.test.ts), then `npm install` of the tarballs into an empty folder outside the
 * workspace, from the npm registry.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PACKAGES = ['schema', 'widgets', 'server'] as const;
/** The pinned pnpm, with or without a global one (README: Node and npm are enough). */
const PNPM = path.join(ROOT, '.ci/pnpm.mjs');

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`))));
  });
}

/** `pnpm pack` of each published package into `destination`; returns the tarball paths. */
export async function packAll(destination: string): Promise<string[]> {
  // The server ships the console's build; build it if this checkout has not.
  if (!existsSync(path.join(ROOT, 'packages/console/dist/index.html'))) {
    await run(process.execPath, [PNPM, '--filter', '@parley/console', 'run', 'build'], { cwd: ROOT });
  }
  for (const name of PACKAGES) {
    await run(process.execPath, [PNPM, 'pack', '--pack-destination', destination], { cwd: path.join(ROOT, 'packages', name) });
  }
  return readdirSync(destination).filter((file) => file.endsWith('.tgz')).map((file) => path.join(destination, file));
}

/** Every installed package whose manifest has an install-time script. */
export function packagesWithInstallScripts(nodeModules: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const full = path.join(dir, entry);
      if (entry.startsWith('@')) { visit(full); continue; }
      const manifestFile = path.join(full, 'package.json');
      if (!existsSync(manifestFile)) continue;
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { name: string; scripts?: Record<string, string> };
      const scripts = manifest.scripts ?? {};
      // npm runs node-gyp for a binding.gyp without an install script too.
      if (scripts.preinstall || scripts.install || scripts.postinstall || existsSync(path.join(full, 'binding.gyp'))) found.push(manifest.name);
      if (existsSync(path.join(full, 'node_modules'))) visit(path.join(full, 'node_modules'));
    }
  };
  visit(nodeModules);
  return [...new Set(found)].sort();
}

/**
 * The native SQLite addon: compiling it takes 1–2 minutes here (no prebuilt binaries can be
 * downloaded), so when the installed version is the workspace's, its compiled addon is copied
 * in; otherwise it is built the way npm would (`npm rebuild better-sqlite3`).
 */
export async function provideSqliteAddon(project: string): Promise<'copied' | 'compiled'> {
  const installed = path.join(project, 'node_modules/better-sqlite3');
  const workspaceManifest = createRequire(path.join(ROOT, 'packages/server/package.json')).resolve('better-sqlite3/package.json');
  const workspace = path.dirname(workspaceManifest);
  const version = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const built = path.join(workspace, 'build/Release/better_sqlite3.node');
  if (version(installed) === version(workspace) && existsSync(built)) {
    const target = path.join(installed, 'build/Release');
    await run('mkdir', ['-p', target], { cwd: project });
    copyFileSync(built, path.join(target, 'better_sqlite3.node'));
    return 'copied';
  }
  await run('npm', ['rebuild', 'better-sqlite3'], { cwd: project, env: existsSync('/usr/include/node/node.h') ? { npm_config_nodedir: '/usr' } : {} });
  return 'compiled';
}

/** Bytes of the files under `dir`, skipping paths for which `skip` answers true. */
export function sizeOf(dir: string, skip: (file: string) => boolean = () => false): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && !skip(full)) total += statSync(full).size;
  }
  return total;
}

/**
 * The folders npm installed for `@parley/server` and everything it depends on (from the
 * lockfile, following Node's resolution), so other packages in the folder are not counted.
 */
export function serverClosure(project: string): string[] {
  const lock = JSON.parse(readFileSync(path.join(project, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
  };
  const resolveFrom = (from: string, name: string): string | undefined => {
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock.packages[candidate]) return candidate;
      if (!base) return undefined;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut < 0 ? '' : base.slice(0, cut);
    }
  };
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const entry = lock.packages[key]!;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const found = resolveFrom(key, name);
      if (found) visit(found);
    }
  };
  visit('node_modules/@parley/server');
  // A nested package's folder lies inside its parent's: count each file once.
  return [...seen].filter((key) => ![...seen].some((other) => other !== key && key.startsWith(`${other}/`))).map((key) => path.join(project, key));
}
