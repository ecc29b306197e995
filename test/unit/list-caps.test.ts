import {
  getNamedType, getNullableType, isCompositeType, isInterfaceType, isListType, isObjectType, isUnionType,
  type GraphQLField, type GraphQLNamedType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { LIST_CAP_EXTENSION } from '../../server/domain/list-caps.js';
import { buildSchema } from '../../schema/index.js';

const schema = buildSchema();
const isConnection = (type: GraphQLNamedType) => isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields();

/** Every list field returning objects that a client can reach from the root types, with where it was reached. */
function reachableLists(): { path: string; field: GraphQLField<unknown, unknown>; parent: GraphQLNamedType }[] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => t != null);
  const seen = new Set<string>();
  const queue: GraphQLNamedType[] = [...roots];
  const found: { path: string; field: GraphQLField<unknown, unknown>; parent: GraphQLNamedType }[] = [];
  while (queue.length > 0) {
    const type = queue.shift()!;
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    if (isUnionType(type)) { queue.push(...type.getTypes()); continue; }
    if (isInterfaceType(type)) queue.push(...schema.getPossibleTypes(type));
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!isCompositeType(named)) continue;
      if (isListType(getNullableType(field.type))) found.push({ path: `${type.name}.${field.name}`, field, parent: type });
      queue.push(named);
    }
  }
  return found;
}

describe('every list a client can reach is bounded and charged at its bound', () => {
  const lists = reachableLists();

  it('finds the lists users can grow', () => {
    const paths = lists.map((l) => l.path);
    for (const path of ['Problem.solutions', 'Solution.problems', 'Council.adoptions', 'Solution.adoptions', 'Problem.supporters',
      'Council.supportedProblems', 'Solution.partners', 'Problem.caseStudies', 'Solution.caseStudies', 'CaseStudy.problems']) {
      expect(paths).toContain(path);
    }
  });

  it('each is a connection page (counted by first/last) or a plain list with a cap the cost model reads', () => {
    const unbounded = lists.filter(({ field, parent }) => {
      if (isConnection(parent) && field.name === 'edges') return false;
      if (field.args.some((a) => a.name === 'ids')) return false;
      const cap = field.extensions?.[LIST_CAP_EXTENSION];
      return !(typeof cap === 'number' && Number.isInteger(cap) && cap > 0 && cap <= 100);
    }).map((l) => l.path);
    expect(unbounded).toEqual([]);
  });

  it('every connection takes a first argument, so its page is counted and capped', () => {
    const connectionsWithoutFirst: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (isConnection(getNamedType(field.type)) && !field.args.some((a) => a.name === 'first')) connectionsWithoutFirst.push(`${type.name}.${field.name}`);
      }
    }
    expect(connectionsWithoutFirst).toEqual([]);
  });
});
