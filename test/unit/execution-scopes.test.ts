import { getNamedType, isAbstractType, isCompositeType, isInterfaceType, isNonNullType, isObjectType, parse, type GraphQLCompositeType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../schema/index.js';
import type { Viewer } from '../../server/auth/viewer.js';
import { createSubscriptionKeys, EXECUTION_SCOPE } from '../../server/http/subscription-key.js';

const schema = buildSchema();

/**
 * Every composite type reachable from `Subscription`, with the selection that reaches it
 * from the root (through inline fragments for unions and interfaces), and its fields.
 */
function reachable(schema: GraphQLSchema) {
  const root = schema.getSubscriptionType()!;
  // Each step: the selection text, and the scope of the field it selects (none for fragments).
  const paths = new Map<string, { text: string; scope?: unknown }[]>([[root.name, []]]);
  const queue: GraphQLCompositeType[] = [root];
  const fields: { type: string; field: string; scope: unknown; leaf: boolean }[] = [];
  while (queue.length > 0) {
    const type = queue.shift()!;
    const path = paths.get(type.name)!;
    const next = (target: GraphQLCompositeType, step: { text: string; scope?: unknown }) => {
      if (paths.has(target.name)) return;
      paths.set(target.name, [...path, step]);
      queue.push(target);
    };
    if (isAbstractType(type)) for (const possible of schema.getPossibleTypes(type)) next(possible, { text: `... on ${possible.name}` });
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      fields.push({ type: type.name, field: field.name, scope: field.extensions[EXECUTION_SCOPE], leaf: !isCompositeType(named) });
      // A path may only pass through fields that need no argument.
      if (isCompositeType(named) && !field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) next(named, { text: field.name, scope: field.extensions[EXECUTION_SCOPE] });
    }
  }
  return { paths, fields };
}

/** A subscription document selecting `field` of `type`, reached by the shortest path. */
function documentFor(steps: readonly { text: string }[], field: string, leaf: boolean): string {
  const inner = leaf ? field : `${field} { __typename }`;
  return `subscription ${steps.reduceRight((body, step) => `{ ${step.text} ${body} }`, `{ ${inner} }`)}`;
}

const member = (councilId: string): Viewer => ({ kind: 'member', memberId: crypto.randomUUID(), councilId, role: 'member', isPlatformAdmin: false, tokenId: crypto.randomUUID() });

describe('execution scopes of the fields reachable from Subscription', () => {
  const { paths, fields } = reachable(schema);

  it('declares one for every field', () => {
    expect(fields.length).toBeGreaterThan(200);
    expect(fields.filter((f) => !['public', 'council', 'member'].includes(f.scope as string)).map((f) => `${f.type}.${f.field}`)).toEqual([]);
  });

  it('never shares an execution of a member-scoped field between members, and shares the others within a council and role', () => {
    const keyOf = createSubscriptionKeys();
    const council = crypto.randomUUID();
    const [a, b] = [member(council), member(council)];
    const memberScoped = fields.filter((f) => f.scope === 'member');
    expect(memberScoped.map((f) => `${f.type}.${f.field}`)).toEqual(expect.arrayContaining(['Subscription.notificationAdded', 'Notification.follow', 'Follow.search']));
    for (const { type, field, leaf, scope } of fields) {
      const steps = paths.get(type)!;
      const document = parse(documentFor(steps, field, leaf));
      const shared = keyOf({ schema, document }, a) === keyOf({ schema, document }, b);
      // A document also selects the fields on its path: it is shared only if none is member-scoped.
      const member = scope === 'member' || steps.some((step) => step.scope === 'member');
      expect({ field: `${type}.${field}`, shared }).toEqual({ field: `${type}.${field}`, shared: !member });
    }
  });

  it('keeps a field without a declared scope out of shared executions', () => {
    const keyOf = createSubscriptionKeys();
    const council = crypto.randomUUID();
    const [a, b] = [member(council), member(council)];
    const document = parse('subscription { events { position } }');
    expect(keyOf({ schema, document }, a)).toBe(keyOf({ schema, document }, b));
    const position = schema.getType('Event') as import('graphql').GraphQLObjectType;
    const field = position.getFields().position!;
    const declared = field.extensions;
    try {
      (field as { extensions: object }).extensions = {};
      const fresh = createSubscriptionKeys();
      expect(fresh({ schema, document }, a)).not.toBe(fresh({ schema, document }, b));
    } finally {
      (field as { extensions: object }).extensions = declared;
    }
  });
});
