import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { EmailSendsTable } from '../db/notification-tables.js';
import type { StoredEvent } from '../events/catalogue.js';
import { toStoredEvent } from '../events/outbox.js';
import { effectiveEmailSql } from '../notifications/email-mode-sql.js';
import { SERVICE_AREAS } from '../domain/service-areas.js';
import type { EmailLinks } from './links.js';
import type { OutgoingEmail } from './mailer.js';

/** Entries one digest lists; past this it says how many more wait in the inbox. */
const DIGEST_ENTRIES = 200;

interface Entry {
  readonly event: StoredEvent;
  readonly followId: string | null;
  readonly follow: string;
}

/**
 * Writes the email a sent-log row owes: its member's notifications in the row's positions
 * whose email setting (now) is the row's kind, grouped by follow. Null when there is none
 * left to tell (the member unfollowed, turned email off or was removed).
 */
export async function composeEmail(db: Kysely<Database>, links: EmailLinks, row: Selectable<EmailSendsTable>): Promise<OutgoingEmail | null> {
  const member = await db.selectFrom('members').select(['email', 'name']).where('id', '=', row.member_id).where('removed_at', 'is', null).executeTakeFirst();
  if (!member) return null;
  const rows = await db.selectFrom('notifications as n')
    .innerJoin('outbox_events as e', 'e.position', 'n.event_position')
    .leftJoin('follows as f', 'f.id', 'n.follow_id')
    .leftJoin('member_email_settings as s', 's.member_id', 'n.member_id')
    .leftJoin('councils as c', 'c.id', 'f.council_id')
    .select(['n.follow_id', 'f.kind as follow_kind', 'f.service_area as follow_area', 'f.query as follow_query', 'c.name as follow_council',
      'e.position', 'e.type', 'e.subject_type', 'e.subject_id', 'e.council_id', 'e.visibility', 'e.payload', 'e.created_at'])
    .where('n.member_id', '=', row.member_id)
    .where('n.event_position', '>=', row.kind === 'immediate' ? row.from_position : row.from_position + 1)
    .where('n.event_position', '<=', row.to_position)
    .where(sql<boolean>`${effectiveEmailSql()} = ${row.kind}`)
    .orderBy('n.event_position')
    .limit(DIGEST_ENTRIES + 1)
    .execute();
  if (rows.length === 0) return null;
  const entries: Entry[] = rows.slice(0, DIGEST_ENTRIES).map((r) => ({
    event: toStoredEvent(r), followId: r.follow_id,
    follow: describeFollow(r.follow_kind, r.follow_area, r.follow_council, r.follow_query, r.payload),
  }));
  const more = rows.length > DIGEST_ENTRIES;
  const unsubscribeUrl = await links.unsubscribe(row.kind === 'immediate' && entries[0]!.followId ? { follow: entries[0]!.followId } : { member: row.member_id });
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) groups.set(entry.follow, [...(groups.get(entry.follow) ?? []), entry]);
  const subject = row.kind === 'immediate'
    ? headline(entries[0]!.event)
    : `Your ${row.kind} Council Commons digest: ${entries.length}${more ? '+' : ''} update${entries.length === 1 ? '' : 's'}`;
  const lines = (entry: Entry) => ({ text: headline(entry.event), url: linkOf(links, entry.event) });
  const text = [
    `Hello ${member.name},`, '',
    ...[...groups].flatMap(([follow, list]) => [`${follow}`, ...list.map((e) => { const l = lines(e); return `- ${l.text}${l.url ? `\n  ${l.url}` : ''}`; }), '']),
    ...(more ? ['More updates are waiting in your inbox.', ''] : []),
    `Stop these emails: ${unsubscribeUrl}`,
  ].join('\n');
  const html = [
    `<p>Hello ${escape(member.name)},</p>`,
    ...[...groups].map(([follow, list]) => `<h2>${escape(follow)}</h2><ul>${list.map((e) => {
      const l = lines(e);
      return `<li>${l.url ? `<a href="${escape(l.url)}">${escape(l.text)}</a>` : escape(l.text)}</li>`;
    }).join('')}</ul>`),
    ...(more ? ['<p>More updates are waiting in your inbox.</p>'] : []),
    `<p><a href="${escape(unsubscribeUrl)}">Stop these emails</a></p>`,
  ].join('\n');
  return { to: member.email, subject, text, html, reference: row.key, unsubscribeUrl };
}

function describeFollow(kind: string | null, area: string | null, council: string | null, query: string | null, payload: Record<string, unknown>): string {
  switch (kind) {
    case 'service_area': return `New in ${SERVICE_AREAS.find((a) => a.code === area)?.name ?? area}`;
    case 'council': return `New from ${council}`;
    case 'item': return `Updates on “${title(payload)}”`;
    case 'problem_outcomes': return `Solutions and case studies for “${String(payload.problemTitle ?? title(payload))}”`;
    case 'saved_search': return `New matches for your search “${query}”`;
    default: return 'From a follow you have since removed';
  }
}

const title = (payload: Record<string, unknown>) => String(payload.title ?? payload.subjectTitle ?? 'an item');

const VERBS: Record<string, string> = {
  published: 'Published', updated: 'Updated', status_changed: 'Status changed', archived: 'Archived', supported: 'Another council has this problem',
  support_withdrawn: 'A council withdrew its support', adopted: 'Adopted by another council', linked: 'Linked to a problem', unlinked: 'Unlinked from a problem',
};

function headline(event: StoredEvent): string {
  if (event.type === 'comment.added') return `New comment on “${title(event.payload)}”`;
  const [kind, verb] = event.type.split('.') as [string, string];
  return `${VERBS[verb] ?? verb}: ${kind.replace('_', ' ')} “${title(event.payload)}”`;
}

function linkOf(links: EmailLinks, event: StoredEvent): string | null {
  if (event.type === 'comment.added' && event.target) return links.item(event.target.type, event.target.id);
  return links.item(event.subjectType, event.subjectId);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
