import { ConfigError, loadConfig } from './config.js';
import { connectDatabase, type DatabaseHandle } from './db/connect.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { migrateToLatest } from './db/migrate.js';
import { createTransact } from './db/transact.js';
import { DomainError, ValidationError } from './domain/errors.js';
import { createServices } from './services.js';
import { COMMANDS } from './admin/commands.js';
import { CommandError, parseInvocation, USAGE, UsageError } from './admin/args.js';

// The admin command line's entry point: it alone reads the environment and sets the exit
// status (0 done, 1 refused or failed, 2 called wrongly).
async function main(argv: readonly string[]): Promise<number> {
  let database: DatabaseHandle | undefined;
  try {
    const invocation = parseInvocation(argv);
    if (invocation.command === 'help') return print([USAGE], 0);
    const command = COMMANDS[invocation.command];
    if (!command) throw new UsageError(`unknown command "${invocation.command}"`);
    const config = loadConfig(process.env);
    database = await connectDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, poolSize: 2 });
    await migrateToLatest(database.db);
    // No doorbell: a server on the same database finds these events when its readers poll.
    const services = createServices({ db: database.db, transact: createTransact(database.db) });
    return print(await command(services, invocation), 0);
  } catch (error) {
    return fail(error);
  } finally {
    await database?.close();
  }
}

function print(lines: readonly string[], status: number): number {
  process.stdout.write(`${lines.join('\n')}\n`);
  return status;
}

function fail(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) {
    process.stderr.write(`error: ${error.message}\nRun "npm run admin -- help" for the commands and their options.\n`);
    return 2;
  }
  if (error instanceof ValidationError) {
    // Fields are named as in GraphQL (gssCode); the command line spells them --gss-code.
    const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    process.stderr.write(`error: the input is not valid:\n${error.fields.map((f) => `  --${kebab(f.field)} ${f.message}`).join('\n')}\n`);
    return 1;
  }
  if (error instanceof DomainError || error instanceof CommandError || error instanceof DataDirLockedError) {
    process.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
