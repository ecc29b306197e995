import { getOperationAST, Kind, print, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { isMember, type Viewer } from '../auth/viewer.js';
import { MEMBER_SCOPED_SUBJECTS, type SubjectType } from '../events/catalogue.js';

/**
 * Set on a subscription field whose arguments only choose which events its stream yields:
 * its result for a given event does not depend on them (`resolve: (event) => event`).
 * Subscribers that differ only in such arguments (another `after`, another filter) then
 * still share executions.
 */
export const SOURCE_ONLY_ARGUMENTS = 'sourceOnlyArguments';

/**
 * Set on every field reachable from `Subscription` (schema/execution-scopes.ts): whose
 * answer it is. `public`: every viewer's; `council`: one council and role's; `member`: one
 * member's. Shared executions never cover a `member` field, nor a field without a scope.
 */
export const EXECUTION_SCOPE = 'executionScope';
export type ExecutionScope = 'public' | 'council' | 'member';

interface DocumentShape {
  readonly text: string;
  /** Variables the execution can depend on; undefined means all of them. */
  readonly variables: readonly string[] | undefined;
  /** Whether it selects a field whose answer depends on the member (schema/execution-scopes.ts). */
  readonly memberScoped: boolean;
}

/**
 * Builds the key under which subscribers share one execution per event: the document, the
 * operation, the variables the execution depends on and the viewer's visibility scope.
 */
export function createSubscriptionKeys() {
  const shapes = new WeakMap<DocumentNode, Map<string, DocumentShape>>();

  function shapeOf(args: ExecutionArgs): DocumentShape {
    let byOperation = shapes.get(args.document);
    if (!byOperation) shapes.set(args.document, byOperation = new Map());
    const name = args.operationName ?? '';
    let shape = byOperation.get(name);
    if (!shape) {
      shape = {
        text: print(args.document),
        variables: executionVariables(args.schema, args.document, args.operationName),
        memberScoped: selectsMemberScopedField(args.schema, args.document),
      };
      byOperation.set(name, shape);
    }
    return shape;
  }

  return (args: ExecutionArgs, viewer: Viewer): string => {
    const { text, variables, memberScoped } = shapeOf(args);
    const values = args.variableValues ?? {};
    const used = variables ? variables.map((v) => values[v] ?? null) : values;
    const scope = visibilityScope(viewer);
    return JSON.stringify([text, args.operationName ?? null, used, memberScoped && isMember(viewer) ? `${scope}:${viewer.memberId}` : scope]);
  };
}

/**
 * Whether any field the document selects (in any operation or fragment) is declared
 * `member`-scoped, or not declared at all: then each member's execution is its own.
 */
export function selectsMemberScopedField(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(document, visitWithTypeInfo(typeInfo, {
    Field(node) {
      if (node.name.value.startsWith('__')) return;
      const scope = typeInfo.getFieldDef()?.extensions[EXECUTION_SCOPE] as ExecutionScope | undefined;
      if (scope !== 'public' && scope !== 'council') found = true;
    },
  }));
  return found;
}

/** The variables used anywhere but in the arguments of source-only root fields. */
function executionVariables(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): string[] | undefined {
  const operation = getOperationAST(document, operationName);
  const rootType = schema.getSubscriptionType();
  if (!operation || operation.operation !== 'subscription' || !rootType) return undefined;
  const names = new Set<string>();
  const collect = (node: Parameters<typeof visit>[0]) => visit(node, { Variable: (v) => { names.add(v.name.value); } });
  for (const selection of operation.selectionSet.selections) {
    const field = selection.kind === Kind.FIELD ? rootType.getFields()[selection.name.value] : undefined;
    if (!field || selection.kind !== Kind.FIELD || field.extensions[SOURCE_ONLY_ARGUMENTS] !== true) return undefined;
    for (const directive of selection.directives ?? []) collect(directive);
    if (selection.selectionSet) collect(selection.selectionSet);
  }
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) collect(definition);
  }
  for (const directive of operation.directives ?? []) collect(directive);
  return [...names].sort();
}

/**
 * Within a group, the key of one event's execution: its position, plus the member for
 * events whose subject each member sees differently (MEMBER_SCOPED_SUBJECTS). Undefined
 * for payloads that are not events: those are executed for each subscriber.
 */
export function executionKey(payload: unknown, viewer: Viewer): { key: string; perMember: boolean } | undefined {
  const event = payload as { position?: unknown; subjectType?: SubjectType } | null;
  if (typeof event?.position !== 'number') return undefined;
  if (isMember(viewer) && event.subjectType !== undefined && MEMBER_SCOPED_SUBJECTS.includes(event.subjectType)) {
    return { key: `${event.position}:${viewer.memberId}`, perMember: true };
  }
  return { key: String(event.position), perMember: false };
}

/**
 * Viewers in one scope see the same events and the same fields: drafts depend on the
 * council, `viewerCanEdit` and `Council.members` on the role (`council` fields in
 * schema/execution-scopes.ts). What depends on the individual member is kept apart twice:
 * documents selecting `member` fields get a group per member, and subjects only some members
 * see (their own API tokens) are keyed per member per event by `executionKey`.
 */
export function visibilityScope(viewer: Viewer): string {
  return isMember(viewer) ? `${viewer.councilId}:${viewer.role}:${viewer.isPlatformAdmin}` : 'anonymous';
}
