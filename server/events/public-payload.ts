import { enumName } from '../kernel/enum-name.js';
import { encodeGlobalId, subjectTypename } from '../kernel/global-id.js';
import type { StoredEvent } from './catalogue.js';

/**
 * An event's payload as clients see it, in the `events` subscription and query and in
 * webhook bodies: the same spellings as the rest of the API. Stored payloads keep the
 * database's forms (lower-case enum values, uuids); here enum values become their GraphQL
 * names (`waste` → `WASTE`) and ids become global ids, so a client can send any of them
 * straight back to a filter or to `node(id:)`.
 */
export type PublicPayload = Record<string, unknown>;

/** Payload keys whose values are GraphQL enum values. */
const ENUM_KEYS = new Set(['serviceArea', 'status', 'kind', 'councilKind', 'phase', 'outcome', 'stage', 'role', 'costBand']);

/** The type of an id by the key that holds it: `supporterCouncilId` → Council. */
function idTypename(key: string): string | undefined {
  const name = key.replace(/Ids?$/, '');
  if (/council$/i.test(name)) return 'Council';
  if (/member$/i.test(name) || name === 'author') return 'Member';
  if (/problem$/i.test(name)) return 'Problem';
  if (name === 'solution') return 'Solution';
  if (name === 'caseStudy') return 'CaseStudy';
  if (name === 'endpoint') return 'WebhookEndpoint';
  return undefined;
}

function publicValue(key: string, value: unknown, payload: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string' && ENUM_KEYS.has(key)) return enumName(value);
  if (key === 'subjectId' && typeof value === 'string' && typeof payload.subjectType === 'string') {
    return encodeGlobalId(subjectTypename(payload.subjectType), value);
  }
  if (key === 'subjectType' && typeof value === 'string') return subjectTypename(value);
  const typename = /Ids?$/.test(key) ? idTypename(key) : undefined;
  if (typename && typeof value === 'string') return encodeGlobalId(typename, value);
  if (typename && Array.isArray(value)) return value.map((id) => (typeof id === 'string' ? encodeGlobalId(typename, id) : id));
  if (key === 'target' && value && typeof value === 'object') {
    const target = value as { type: string; id: string };
    const type = subjectTypename(target.type);
    return { type, id: encodeGlobalId(type, target.id) };
  }
  return value;
}

export function publicPayload(event: Pick<StoredEvent, 'payload'>): PublicPayload {
  const payload = event.payload as Readonly<Record<string, unknown>>;
  return Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, publicValue(key, value, payload)]));
}
