import { parseArgs } from 'node:util';

/** A mistake in how the command was called: exit status 2. */
export class UsageError extends Error {}

/** The command was understood but cannot be done (an unknown council, a role mismatch): exit status 1. */
export class CommandError extends Error {}

export const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-council --slug <slug> --name <name> --kind <kind> --region <region>
                 [--gss-code <code>] [--website <url>]
  create-member  --council <slug> --name <name> --email <email> --role <role>
                 [--platform-admin]
  create-token   --council <slug> --role <role> [--email <email>] [--name <name>] [--label <label>]
                 Issues a token for the member with --email in that council (their role must be
                 <role>), adding them first if there is none. Without --email it adds a new member
                 with that role (named --name, default "API client (<role>)") to hold the token.
                 Prints the token alone on the last line.
  revoke-token   <token id | token prefix | token>
  list-tokens    --council <slug> [--all]   (--all includes revoked tokens)

Roles: member, editor, admin. Kinds: county, district, unitary, metropolitan-district,
london-borough, combined-authority, other.

Uses DATABASE_URL when set, else the embedded database in DATA_DIR (default ./data). The
embedded database can be open in one process at a time: stop the server before using it.`;

const OPTIONS = {
  slug: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string' },
  region: { type: 'string' },
  'gss-code': { type: 'string' },
  website: { type: 'string' },
  council: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  label: { type: 'string' },
  'platform-admin': { type: 'boolean' },
  all: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type OptionName = keyof typeof OPTIONS;

export interface Invocation {
  readonly command: string;
  readonly positionals: readonly string[];
  readonly options: Partial<Record<OptionName, string | boolean>>;
}

export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, ...positionals] = parsed.positionals;
  if (parsed.values.help || command === 'help') return { command: 'help', positionals: [], options: {} };
  if (command === undefined) throw new UsageError('no command given');
  return { command, positionals, options: parsed.values };
}

/** Reads a string option, failing with a usage error when a required one is missing or empty. */
export function option(invocation: Invocation, name: OptionName, required: true): string;
export function option(invocation: Invocation, name: OptionName, required?: false): string | undefined;
export function option(invocation: Invocation, name: OptionName, required = false): string | undefined {
  const value = invocation.options[name];
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (required) throw new UsageError(`${invocation.command} needs --${name} <value>`);
  return undefined;
}

/** Options meant for another command are reported rather than silently ignored. */
export function accept(invocation: Invocation, names: readonly OptionName[]): void {
  const unexpected = Object.keys(invocation.options).filter((name) => !names.includes(name as OptionName));
  if (unexpected.length > 0) {
    throw new UsageError(`${invocation.command} does not take ${unexpected.map((name) => `--${name}`).join(', ')}`);
  }
}

/** Only the commands that take positionals accept them; anything extra is a typo worth reporting. */
export function positionals(invocation: Invocation, count: number, what: string): string[] {
  if (invocation.positionals.length !== count) {
    throw new UsageError(count === 0
      ? `${invocation.command} takes no arguments besides options, got: ${invocation.positionals.join(' ')}`
      : `${invocation.command} needs exactly one ${what}`);
  }
  return [...invocation.positionals];
}
