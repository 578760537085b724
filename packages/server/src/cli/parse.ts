import { Command, CommanderError } from 'commander';
import type { CliIo } from './io.ts';

/** A commander command wired to the io: output through it, no process.exit. */
export function defineCommand(name: string, io: CliIo): Command {
  return configure(new Command(`parley ${name}`), io);
}

function configure(command: Command, io: CliIo): Command {
  return command
    .exitOverride()
    .helpCommand(false)
    .helpOption('-h, --help', 'show this help')
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    })
    .showHelpAfterError('(run with --help for usage)');
}

/** Adds a subcommand that shares the io wiring. */
export function subcommand(parent: Command, name: string, io: CliIo): Command {
  const child = configure(new Command(name), io);
  parent.addCommand(child);
  return child;
}

/**
 * Parses argv (the words after the command name) and runs the action commander picked.
 * Resolves to undefined when the action ran (the command returns its own exit code), else to
 * the exit code: 0 after --help, 1 on a usage error (commander printed it) or a thrown error.
 */
export async function runCommand(command: Command, argv: string[], io: CliIo): Promise<number | undefined> {
  try {
    await command.parseAsync(argv, { from: 'user' });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' ? 0 : 1;
    }
    io.err(`parley: ${(error as Error).message}`);
    return 1;
  }
}
