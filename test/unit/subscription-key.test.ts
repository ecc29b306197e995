import { parse, type ExecutionArgs } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../schema/index.js';
import { ANONYMOUS, type Viewer } from '../../server/auth/viewer.js';
import { createSubscriptionKeys } from '../../server/http/subscription-key.js';

const schema = buildSchema();
const member = (councilId: string, role: 'member' | 'editor' = 'member'): Viewer =>
  ({ kind: 'member', memberId: crypto.randomUUID(), councilId, role, isPlatformAdmin: false, tokenId: 't' });

describe('subscription sharing keys', () => {
  const keyOf = createSubscriptionKeys();
  const args = (query: string, variableValues: Record<string, unknown>): ExecutionArgs => ({ schema, document: parse(query), variableValues });

  it('ignores arguments that only choose events, and nothing else', () => {
    const query = `subscription($after: Position, $filter: EventFilterInput, $full: Boolean!) {
      events(after: $after, filter: $filter) { position payload @include(if: $full) } }`;
    const key = (vars: Record<string, unknown>, viewer: Viewer = ANONYMOUS) => keyOf(args(query, vars), viewer);
    expect(key({ after: 1, full: true })).toBe(key({ after: 99, filter: { tags: ['x'] }, full: true }));
    expect(key({ after: 1, full: true })).not.toBe(key({ after: 1, full: false }));
    const a = crypto.randomUUID();
    expect(key({ full: true }, member(a))).toBe(key({ full: true }, member(a)));
    expect(key({ full: true }, member(a))).not.toBe(key({ full: true }, member(a, 'editor')));
    expect(key({ full: true }, member(a))).not.toBe(key({ full: true }, member(crypto.randomUUID())));
    expect(key({ full: true }, member(a))).not.toBe(key({ full: true }));
  });

  it('keeps variables used in fragments, and different documents apart', () => {
    const query = `subscription($after: Position, $n: Boolean!) { problemPublished(after: $after) { ...E } }
      fragment E on Event { position subject @skip(if: $n) { id } }`;
    expect(keyOf(args(query, { after: 1, n: true }), ANONYMOUS)).toBe(keyOf(args(query, { after: 2, n: true }), ANONYMOUS));
    expect(keyOf(args(query, { after: 1, n: true }), ANONYMOUS)).not.toBe(keyOf(args(query, { after: 1, n: false }), ANONYMOUS));
    const other = `subscription($after: Position) { problemPublished(after: $after) { position } }`;
    expect(keyOf(args(other, { after: 1 }), ANONYMOUS)).not.toBe(keyOf(args(query, { after: 1, n: true }), ANONYMOUS));
  });
});
