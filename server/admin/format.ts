import type { ApiToken } from '../domain/api-tokens.js';
import type { Member } from '../domain/members.js';

const HEADINGS = ['id', 'prefix', 'label', 'member', 'role', 'created', 'last used', 'revoked'];

/** A plain text table, one token a line, readable in a terminal and by `cut`/`awk`. */
export function formatTokens(tokens: readonly ApiToken[], members: ReadonlyMap<string, Member>): string[] {
  if (tokens.length === 0) return ['No tokens.'];
  const rows = tokens.map((t) => {
    const member = members.get(t.memberId);
    return [
      t.id, t.prefix, t.label,
      member ? `${member.name} <${member.email}>` : t.memberId,
      member?.role ?? '',
      minute(t.createdAt), t.lastUsedAt ? minute(t.lastUsedAt) : 'never', t.revokedAt ? minute(t.revokedAt) : '-',
    ];
  });
  const widths = HEADINGS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(HEADINGS), ...rows.map(line)];
}

function minute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
