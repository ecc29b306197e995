import { randomBytes } from 'node:crypto';
import { OPERATOR } from '../auth/viewer.js';
import type { Council } from '../domain/councils.js';
import { ValidationError } from '../kernel/errors.js';
import { ROLES } from '../domain/member-admin.js';
import type { Services } from '../services.js';
import { accept, CommandError, option, positionals, type Invocation } from './args.js';
import { formatTokens } from './format.js';

/** A command's output: lines for stdout, the last one being the result scripts read. */
type Command = (services: Services, invocation: Invocation) => Promise<string[]>;

/**
 * The domain services validate every field and report them all at once, so options are
 * passed through as given; only those a command cannot start without are checked here.
 *
 * The admin commands act as the platform operator (OPERATOR) through the same domain
 * services as the GraphQL API: the same validation, rules and outbox events, no SQL here.
 */
export const COMMANDS: Record<string, Command> = {
  'create-council': async (services, invocation) => {
    accept(invocation, ['slug', 'name', 'kind', 'region', 'gss-code', 'website']);
    positionals(invocation, 0, '');
    const council = await services.councilAdmin.create(OPERATOR, {
      slug: option(invocation, 'slug'),
      name: option(invocation, 'name'),
      kind: option(invocation, 'kind')?.replaceAll('-', '_'),
      region: option(invocation, 'region'),
      gssCode: option(invocation, 'gss-code'),
      website: option(invocation, 'website'),
    });
    return [`Created council ${council.name} (${council.slug}), id ${council.id}`];
  },

  'create-member': async (services, invocation) => {
    accept(invocation, ['council', 'name', 'email', 'role', 'platform-admin']);
    positionals(invocation, 0, '');
    const council = await councilBySlug(services, option(invocation, 'council', true));
    const member = await services.memberAdmin.add(OPERATOR, {
      councilId: council.id,
      name: option(invocation, 'name'),
      email: option(invocation, 'email'),
      role: option(invocation, 'role'),
      platformAdmin: invocation.options['platform-admin'] === true,
    });
    const platform = member.isPlatformAdmin ? ', platform admin' : '';
    return [`Added ${member.name} <${member.email}> to ${council.name} as ${member.role}${platform}, id ${member.id}`];
  },

  'create-token': async (services, invocation) => {
    accept(invocation, ['council', 'role', 'email', 'name', 'label']);
    positionals(invocation, 0, '');
    const council = await councilBySlug(services, option(invocation, 'council', true));
    const role = option(invocation, 'role', true);
    if (!(ROLES as readonly string[]).includes(role)) throw new ValidationError([{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }]);
    const email = option(invocation, 'email');
    const lines: string[] = [];
    let member = email ? await services.memberAdmin.findByEmail(OPERATOR, council.id, email) : null;
    if (member && !member.removedAt && member.role !== role) {
      throw new CommandError(`${member.name} <${member.email}> is ${article(member.role)}, not ${article(role)}: ` +
        'change their role first, or leave out --email to add a new member for the token');
    }
    if (!member || member.removedAt) {
      member = await services.memberAdmin.add(OPERATOR, {
        councilId: council.id,
        name: option(invocation, 'name') ?? `API client (${role})`,
        // `.invalid` is reserved (RFC 2606): the placeholder can never reach a real mailbox.
        email: email ?? `api-${randomBytes(4).toString('hex')}@${council.slug}.invalid`,
        role,
      });
      lines.push(`Added ${member.name} <${member.email}> to ${council.name} as ${member.role}`);
    }
    const created = await services.apiTokens.create(OPERATOR, {
      memberId: member.id,
      label: option(invocation, 'label') ?? `created with npm run admin on ${new Date().toISOString().slice(0, 10)}`,
    });
    lines.push(
      `Token ${created.apiToken.prefix} (id ${created.apiToken.id}) for ${member.name}, ${member.role} of ${council.name}.`,
      'Shown once; only its hash is stored. Send it as "Authorization: Bearer <token>".',
      created.token,
    );
    return lines;
  },

  'revoke-token': async (services, invocation) => {
    accept(invocation, []);
    const [reference] = positionals(invocation, 1, 'token id, token prefix or token');
    const token = await services.apiTokens.find(OPERATOR, reference!);
    const already = token.revokedAt !== null;
    const revoked = await services.apiTokens.revoke(OPERATOR, token.id);
    const [member] = await services.members.findMany([revoked.memberId]);
    const what = `token ${revoked.prefix} ("${revoked.label}") of ${member?.name ?? revoked.memberId}`;
    return [already ? `The ${what} was already revoked at ${revoked.revokedAt!.toISOString()}` : `Revoked the ${what}`];
  },

  'list-tokens': async (services, invocation) => {
    accept(invocation, ['council', 'all']);
    positionals(invocation, 0, '');
    const council = await councilBySlug(services, option(invocation, 'council', true));
    const tokens = (await services.apiTokens.listForCouncil(OPERATOR, council.id, { includeRevoked: invocation.options.all === true }))!;
    const members = await services.members.findMany([...new Set(tokens.map((t) => t.memberId))]);
    const byId = new Map(members.filter((m) => m !== null).map((m) => [m.id, m]));
    return formatTokens(tokens, byId);
  },
};

async function councilBySlug(services: Services, slug: string): Promise<Council> {
  const council = await services.councils.bySlug(slug.trim());
  if (!council) throw new CommandError(`there is no council with the slug "${slug}" (create-council adds one)`);
  return council;
}

function article(role: string): string {
  return /^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`;
}
