import {
  getNamedType, getNullableType, isCompositeType, isInterfaceType, isListType, isObjectType, Kind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLArgument, type GraphQLCompositeType,
  type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';
import { LIST_CAP_EXTENSION } from '../../domain/list-caps.js';

/** What a connection costs when neither `first` nor `last` is given: Pothos's default page size. */
export const DEFAULT_PAGE_SIZE = 20;
/**
 * What a plain list counts as when its field declares no cap (LIST_CAP_EXTENSION) and is not
 * fetched by an `ids` list. Every list of the hub's schema declares one (list-caps.test.ts).
 */
export const DEFAULT_LIST_SIZE = 5;

type Variables = Readonly<Record<string, unknown>> | null | undefined;

/**
 * The cost of the operation that will run: every field returning an object costs 1, times the
 * number of items it is fetched for. A connection's `first`/`last` (20 when absent) is the
 * item count of its `edges` and `nodes` (the schema's default `first` when the query gives
 * neither); `nodes(ids:)` counts its ids; other lists count as their declared cap, the most
 * items their resolver returns (5 where none is declared).
 * Scalars are free: they come with the row their parent loaded. Fragments are costed once per
 * item count, so fragment bombs stay linear to cost.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Variables): number {
  let byOperation = costs.get(document);
  const known = byOperation?.get(operationName ?? '');
  const shape = known && known.schema === schema ? variableShape(known.reads, variables) : undefined;
  const cached = shape === undefined ? undefined : known!.costs.get(shape);
  if (cached !== undefined) return cached;
  const reads = new Set<string>();
  const cost = computeCost(schema, document, operationName, variables, reads);
  if (known && known.schema === schema) {
    if (known.costs.size < MAX_SHAPES) known.costs.set(shape!, cost);
  } else {
    if (!byOperation) costs.set(document, (byOperation = new Map()));
    const names = [...reads];
    byOperation.set(operationName ?? '', { schema, reads: names, costs: new Map([[variableShape(names, variables), cost]]) });
  }
  return cost;
}

/**
 * Costs already worked out, by document (yoga's parser cache hands out one document object per
 * text, so this lives as long as the cached document) and operation. A cost depends on the
 * variables only through the ones given to `first`, `last` and `ids`, and on those only by
 * their number or list length: each distinct shape of them is costed once, up to MAX_SHAPES.
 */
interface KnownCosts {
  readonly schema: GraphQLSchema;
  /** The variables the cost read. */
  readonly reads: readonly string[];
  /** Cost by variableShape. */
  readonly costs: Map<string, number>;
}
const costs = new WeakMap<DocumentNode, Map<string, KnownCosts>>();
const MAX_SHAPES = 16;

/** What the cost can see of the variables it reads: a number, a list's length, absent, or other. */
function variableShape(reads: readonly string[], variables: Variables): string {
  let shape = '';
  for (const name of reads) {
    const value = variables?.[name];
    shape += value === undefined || value === null ? 'u,' : typeof value === 'number' ? `${value},` : Array.isArray(value) ? `[${value.length},` : '-,';
  }
  return shape;
}

function computeCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Variables, reads: Set<string>): number {
  const operation = pickOperation(document, operationName);
  if (!operation) return 0;
  const root = operation.operation === 'query' ? schema.getQueryType()
    : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();

  function ofFragment(name: string, items: number | undefined): number {
    const key = `${name}|${items ?? ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    if (!fragment || visiting.has(key) || !isCompositeType(type)) return 0;
    visiting.add(key);
    const cost = ofSelections(fragment.selectionSet, type, items);
    visiting.delete(key);
    memo.set(key, cost);
    return cost;
  }

  function ofSelections(set: SelectionSetNode | undefined, parent: GraphQLCompositeType, items: number | undefined): number {
    let cost = 0;
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        cost += ofFragment(selection.name.value, items);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) cost += ofSelections(selection.selectionSet, type, items);
      } else {
        cost += ofField(selection, parent, items);
      }
    }
    return cost;
  }

  function ofField(field: FieldNode, parent: GraphQLCompositeType, items: number | undefined): number {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const definition = parent.getFields()[field.name.value];
    if (!definition) return 0;
    const type = getNamedType(definition.type);
    if (!isCompositeType(type)) return 0;
    const count = isListType(getNullableType(definition.type)) ? items ?? listSize(field, definition.extensions, variables, reads) : 1;
    const childItems = isConnection(type) ? pageSize(field, definition.args, variables, reads) : undefined;
    return count * (1 + ofSelections(field.selectionSet, type, childItems));
  }

  return ofSelections(operation.selectionSet, root, undefined);
}

function pickOperation(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name) return operations.find((o) => o.name?.value === name);
  return operations.length === 1 ? operations[0] : undefined;
}

function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields();
}

function pageSize(field: FieldNode, args: readonly GraphQLArgument[], variables: Variables, reads: Set<string>): number {
  const given = (name: string) => argument(field, name, variables, reads) ?? args.find((a) => a.name === name)?.defaultValue;
  const sizes = ['first', 'last'].map(given).filter((v): v is number => typeof v === 'number');
  if (sizes.length === 0) return DEFAULT_PAGE_SIZE;
  return Math.max(0, ...sizes.filter(Number.isFinite));
}

function listSize(field: FieldNode, extensions: Readonly<Record<string, unknown>> | null | undefined, variables: Variables, reads: Set<string>): number {
  const ids = argument(field, 'ids', variables, reads);
  if (Array.isArray(ids)) return ids.length;
  const cap = extensions?.[LIST_CAP_EXTENSION];
  return typeof cap === 'number' ? cap : DEFAULT_LIST_SIZE;
}

function argument(field: FieldNode, name: string, variables: Variables, reads: Set<string>): unknown {
  const node = field.arguments?.find((a) => a.name.value === name)?.value;
  return node ? valueOf(node, variables, reads) : undefined;
}

function valueOf(node: ValueNode, variables: Variables, reads: Set<string>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE: reads.add(node.name.value); return variables?.[node.name.value];
    case Kind.INT: return Number(node.value);
    case Kind.LIST: return node.values;
    default: return undefined;
  }
}
