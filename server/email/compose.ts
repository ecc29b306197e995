import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { EmailSendsTable } from '../db/notification-tables.js';
import type { StoredEvent } from '../events/catalogue.js';
import { toStoredEvent } from '../events/outbox.js';
import { mentionsOf, withdrawnIds } from '../events/withdrawn.js';
import { effectiveEmailSql } from '../notifications/email-mode-sql.js';
import { SERVICE_AREAS } from '../domain/service-areas.js';
import type { EmailLinks } from './links.js';
import type { OutgoingEmail } from './mailer.js';
import { composeNudgeEmails } from '../freshness/nudge-email.js';

/** Entries one digest lists; past this it says how many more wait in the inbox. */
const DIGEST_ENTRIES = 200;

interface Entry {
  readonly event: StoredEvent;
  readonly followId: string | null;
  readonly follow: string;
}

interface EntryRow {
  key: string;
  follow_id: string | null;
  follow_kind: string | null;
  follow_area: string | null;
  follow_query: string | null;
  follow_council: string | null;
  event_position: number;
}

/** One sent-log row's email, as composeEmails writes it. */
export async function composeEmail(db: Kysely<Database>, links: EmailLinks, row: Selectable<EmailSendsTable>): Promise<OutgoingEmail | null> {
  return (await composeEmails(db, links, [row])).get(row.key) ?? null;
}

/**
 * Writes the emails sent-log rows owe: each row's member's notifications in the row's
 * positions whose email setting (now) is the row's kind, grouped by follow; null for a row
 * with nothing left to tell (the member unfollowed, turned email off or was removed).
 *
 * Set-based, because a digest run is thousands of rows over the same few thousand events:
 * three statements per batch of rows (members, each row's entries, and the distinct events
 * `lines` does not hold yet), and each event is parsed, described and linked once per run,
 * not once per member or per batch.
 */
export async function composeEmails(
  db: Kysely<Database>, links: EmailLinks, sends: readonly Selectable<EmailSendsTable>[], lines: EventLines = createEventLines(),
): Promise<Map<string, OutgoingEmail | null>> {
  const nudges = sends.filter((row) => row.kind === 'nudge');
  if (nudges.length > 0) {
    const rest = await composeEmails(db, links, sends.filter((row) => row.kind !== 'nudge'), lines);
    return new Map([...rest, ...await composeNudgeEmails(db, links, nudges)]);
  }
  const result = new Map<string, OutgoingEmail | null>(sends.map((row) => [row.key, null]));
  if (sends.length === 0) return result;
  const members = new Map((await db.selectFrom('members').select(['id', 'email', 'name'])
    .where('id', 'in', [...new Set(sends.map((row) => row.member_id))]).where('removed_at', 'is', null).execute()).map((m) => [m.id, m]));
  const keys = sends.filter((row) => members.has(row.member_id)).map((row) => row.key);
  if (keys.length === 0) return result;
  // `s` is the member's settings, as effectiveEmailSql expects; the sent-log row is `q`.
  const { rows } = await sql<EntryRow>`
    select q.key, x.follow_id, x.follow_kind, x.follow_area, x.follow_query, x.follow_council, x.event_position
    from email_sends q
    cross join lateral (
      select n.follow_id, f.kind as follow_kind, f.service_area as follow_area, f.query as follow_query, c.name as follow_council, n.event_position
      from notifications n
      left join follows f on f.id = n.follow_id
      left join member_email_settings s on s.member_id = n.member_id
      left join councils c on c.id = f.council_id
      where n.member_id = q.member_id
        and n.event_position >= case when q.kind = 'immediate' then q.from_position else q.from_position + 1 end
        and n.event_position <= q.to_position
        and ${effectiveEmailSql()} = q.kind
      order by n.event_position
      limit ${DIGEST_ENTRIES + 1}) x
    where q.key = any(${sql.val(keys)}::text[])
    order by q.key, x.event_position`.execute(db);
  const events = await lines.load(db, links, rows.map((r) => Number(r.event_position)));
  const byKey = new Map<string, EntryRow[]>();
  for (const r of rows) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  for (const row of sends) {
    const member = members.get(row.member_id);
    const entryRows = byKey.get(row.key);
    if (!member || !entryRows) continue;
    result.set(row.key, await write(links, row, member, entryRows, events));
  }
  return result;
}

interface Line {
  readonly text: string;
  readonly url: string | null;
}

type EventLine = { readonly event: StoredEvent; readonly line: Line };

/** How many events' lines a sender keeps between batches. @default 20000 */
const EVENT_LINES = 20_000;

/**
 * Events as digests show them, kept across batches by position. Outbox events never change,
 * and every page of a digest run needs nearly all of the period's events again (members
 * follow overlapping things), so each is read and described once; the least recently used
 * are dropped past `max`, so memory stays bounded however long the period.
 */
export function createEventLines(max = EVENT_LINES) {
  const kept = new Map<number, EventLine>();
  return {
    async load(db: Kysely<Database>, links: EmailLinks, wanted: readonly number[]): Promise<ReadonlyMap<number, EventLine>> {
      const found = new Map<number, EventLine>();
      const missing: number[] = [];
      for (const position of new Set(wanted)) {
        const hit = kept.get(position);
        if (!hit) { missing.push(position); continue; }
        kept.delete(position);
        kept.set(position, hit);
        found.set(position, hit);
      }
      if (missing.length > 0) {
        const eventRows = await db.selectFrom('outbox_events')
          .select(['position', 'type', 'subject_type', 'subject_id', 'council_id', 'visibility', 'payload', 'created_at'])
          .where('position', 'in', missing).execute();
        for (const r of eventRows) {
          const event = toStoredEvent(r);
          const entry = { event, line: { text: headline(event), url: linkOf(links, event) } };
          kept.set(Number(r.position), entry);
          found.set(Number(r.position), entry);
        }
        for (const oldest of kept.keys()) {
          if (kept.size <= max) break;
          kept.delete(oldest);
        }
      }
      // What the hub no longer shows (an item hidden by moderators, a comment hidden or
      // deleted) is not emailed either: its events drop out of the email, not of the cache,
      // since a restored item is shown again (events/withdrawn.ts).
      const withdrawn = await withdrawnIds(db, [...found.values()].flatMap(({ event }) => mentionsOf(event)));
      for (const [position, { event }] of found) {
        if (mentionsOf(event).some((mention) => withdrawn.has(mention.id))) found.delete(position);
      }
      return found;
    },
  };
}

export type EventLines = ReturnType<typeof createEventLines>;

async function write(
  links: EmailLinks, row: Selectable<EmailSendsTable>, member: { email: string; name: string },
  rows: readonly EntryRow[], events: ReadonlyMap<number, { event: StoredEvent; line: Line }>,
): Promise<OutgoingEmail | null> {
  const entries: (Entry & { line: Line })[] = [];
  for (const r of rows.slice(0, DIGEST_ENTRIES)) {
    const found = events.get(Number(r.event_position));
    if (!found) continue;
    entries.push({ event: found.event, line: found.line, followId: r.follow_id,
      follow: describeFollow(r.follow_kind, r.follow_area, r.follow_council, r.follow_query, found.event.payload) });
  }
  if (entries.length === 0) return null;
  const more = rows.length > DIGEST_ENTRIES;
  const unsubscribeUrl = await links.unsubscribe(row.kind === 'immediate' && entries[0]!.followId ? { follow: entries[0]!.followId } : { member: row.member_id });
  const groups = new Map<string, (Entry & { line: Line })[]>();
  for (const entry of entries) {
    const list = groups.get(entry.follow);
    if (list) list.push(entry);
    else groups.set(entry.follow, [entry]);
  }
  const subject = row.kind === 'immediate'
    ? entries[0]!.line.text
    : `Your ${row.kind} Council Commons digest: ${entries.length}${more ? '+' : ''} update${entries.length === 1 ? '' : 's'}`;
  const text = [
    `Hello ${member.name},`, '',
    ...[...groups].flatMap(([follow, list]) => [`${follow}`, ...list.map(({ line: l }) => `- ${l.text}${l.url ? `\n  ${l.url}` : ''}`), '']),
    ...(more ? ['More updates are waiting in your inbox.', ''] : []),
    `Stop these emails: ${unsubscribeUrl}`,
  ].join('\n');
  const html = [
    `<p>Hello ${escape(member.name)},</p>`,
    ...[...groups].map(([follow, list]) => `<h2>${escape(follow)}</h2><ul>${list.map(({ line: l }) =>
      `<li>${l.url ? `<a href="${escape(l.url)}">${escape(l.text)}</a>` : escape(l.text)}</li>`).join('')}</ul>`),
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
  confirmed_current: 'Confirmed still current', nudged: 'Is this still current?', marked_out_of_date: 'May be out of date',
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
