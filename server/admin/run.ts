import { ConfigError, loadConfig } from '../config.js';
import { connectDatabase, type DatabaseHandle } from '../db/connect.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { migrateToLatest } from '../db/migrate.js';
import { createTransact } from '../db/transact.js';
import { DomainError, ValidationError } from '../kernel/errors.js';
import { createServices } from '../services.js';
import { CommandError, parseInvocation, USAGE, UsageError } from './args.js';
import { COMMANDS } from './commands.js';

export interface AdminOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Runs one admin command and returns its exit status: 0 done, 1 refused or failed, 2 called
 * wrongly. The environment comes in as an argument and is read only by loadConfig.
 */
export async function runAdmin(argv: readonly string[], env: Record<string, string | undefined>, out: AdminOutput): Promise<number> {
  let database: DatabaseHandle | undefined;
  try {
    const invocation = parseInvocation(argv);
    if (invocation.command === 'help') return print(out, [USAGE]);
    const command = COMMANDS[invocation.command];
    if (!command) throw new UsageError(`unknown command "${invocation.command}"`);
    const config = loadConfig(env);
    database = await connectDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, poolSize: 2 });
    await migrateToLatest(database.db);
    // No doorbell: a server on the same database finds these events when its readers poll.
    const services = createServices({ db: database.db, transact: createTransact(database.db), webhooks: { config: config.webhooks, notify: () => {} } });
    return print(out, await command(services, invocation));
  } catch (error) {
    out.stderr(`error: ${describe(error)}\n`);
    return error instanceof UsageError || error instanceof ConfigError ? 2 : 1;
  } finally {
    await database?.close();
  }
}

function print(out: AdminOutput, lines: readonly string[]): number {
  out.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function describe(error: unknown): string {
  if (error instanceof UsageError || error instanceof ConfigError) {
    return `${error.message}\nRun "npm run admin -- help" for the commands and their options.`;
  }
  if (error instanceof ValidationError) {
    // Fields are named as in GraphQL (gssCode); the command line spells them --gss-code.
    const option = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return `the input is not valid:\n${error.fields.map((f) => `  ${option(f.field)} ${f.message}`).join('\n')}`;
  }
  if (error instanceof DomainError || error instanceof CommandError || error instanceof DataDirLockedError) return error.message;
  // A bug or an outage: the operator at the terminal gets the whole story.
  return error instanceof Error ? error.stack ?? error.message : String(error);
}
