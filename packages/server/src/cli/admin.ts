import { loadConfig } from '../config.ts';
import { systemClock } from '../clock.ts';
import { AdminsService } from '../services/admins.ts';
import { SiteRegistry } from '../sites/registry.ts';
import { callerCwd, readProcessStdin, type CliIo } from './io.ts';
import { defineCommand, runCommand, subcommand } from './parse.ts';
import { withStore } from './store.ts';

/** `parley admin create --email E [--role owner|moderator] [--site ID]... [--password-stdin]`. */
export default async function admin(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const command = defineCommand('admin', io).description('manage console accounts');
  subcommand(command, 'create', io)
    .description('create an admin, or set a new password for an existing one (from stdin or PARLEY_ADMIN_PASSWORD)')
    .requiredOption('--email <email>', 'the account\'s email')
    .option('--role <role>', 'owner (every site, settings, accounts) or moderator (the --site sites only); default: moderator with --site, else owner')
    .option('--site <id...>', 'a site a moderator moderates (repeat for several)')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (options: { email: string; role?: string; site?: string[]; passwordStdin?: boolean }) => {
      const config = loadConfig(io.env, { cwd: callerCwd(io) });
      const role = options.role;
      if (role !== undefined && role !== 'owner' && role !== 'moderator') throw new Error(`--role must be owner or moderator, not "${role}"`);
      const sites = options.site ?? [];
      const registry = SiteRegistry.load(config.sitesFile);
      for (const site of sites) registry.get(site); // an unknown site is a typo: refuse it
      const password = options.passwordStdin
        ? (await (io.readStdin ?? readProcessStdin)()).replace(/\r?\n$/, '')
        : io.env.PARLEY_ADMIN_PASSWORD;
      if (!password) throw new Error('No password: pipe it with --password-stdin or set PARLEY_ADMIN_PASSWORD');
      code = await withStore(config, async (store) => {
        const { admin: account, created } = await new AdminsService(store, systemClock).createOrUpdate(options.email, password, { ...(role ? { role } : {}), sites });
        const what = account.role === 'owner' ? 'owner' : `moderator of ${account.sites.join(', ')}`;
        io.out(created ? `Created admin ${account.email} (${what})` : `Updated the password of ${account.email} (${what}; their sessions were ended)`);
        return 0;
      });
    });
  if (argv.length === 0) {
    command.outputHelp({ error: true });
    return 1;
  }
  return (await runCommand(command, argv, io)) ?? code;
}
