import path from 'node:path';
import { loadConfig } from '../config.ts';
import { loadSitesFile, SitesConfigError } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import { callerCwd, type CliIo } from './io.ts';
import { defineCommand, runCommand, subcommand } from './parse.ts';

/** `parley sites check FILE` and `parley sites list`. */
export default async function sites(argv: string[], io: CliIo): Promise<number> {
  const command = defineCommand('sites', io).description('check or list sites files');
  subcommand(command, 'check', io)
    .description('validate a sites file (the PARLEY_CONFIG format)')
    .argument('<file>')
    .action((file: string) => {
      let parsed;
      try {
        parsed = loadSitesFile(path.resolve(callerCwd(io), file));
      } catch (error) {
        // The file was an argument here, not PARLEY_CONFIG: name it alone.
        if (error instanceof SitesConfigError) throw new Error(`${error.source}: ${error.problems.join('; ')}`);
        throw error;
      }
      io.out(`OK: ${parsed.sites.length} site(s): ${parsed.sites.map((site) => site.id).join(', ')}`);
    });
  subcommand(command, 'list', io)
    .description('list the sites PARLEY_CONFIG declares (or the default site)')
    .action(() => {
      const config = loadConfig(io.env, { cwd: callerCwd(io) });
      const registry = SiteRegistry.load(config.sitesFile);
      if (!registry.strict) io.out('(no PARLEY_CONFIG: every site id gets the default settings)');
      for (const site of registry.list()) {
        io.out(`${site.id}\tmoderation=${site.moderation}\torigins=${site.origins.join(',')}\twebhooks=${site.webhooks.length}`);
      }
    });
  if (argv.length === 0) {
    command.outputHelp({ error: true });
    return 1;
  }
  return (await runCommand(command, argv, io)) ?? 0;
}
