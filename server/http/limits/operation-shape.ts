import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface OperationShape {
  readonly depth: number;
  readonly aliases: number;
  readonly directives: number;
}

const ZERO: OperationShape = { depth: 0, aliases: 0, directives: 0 };
// Introspection has its own switch (INTROSPECTION); GraphiQL's query nests `ofType` deeply.
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Measures each operation of a document, before graphql's own validation. Each fragment is
 * measured once however often it is spread (a "billion laughs" document stays linear), and
 * every use of it counts: ten spreads of a fragment with three aliases make thirty aliases.
 */
export function measureOperations(document: DocumentNode): { name: string | undefined; shape: OperationShape }[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, OperationShape>();
  const visiting = new Set<string>();

  function ofFragment(name: string): OperationShape {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown and cyclic spreads are graphql's validation errors to report; they measure zero.
    if (!fragment || visiting.has(name)) return ZERO;
    visiting.add(name);
    const inner = ofSelections(fragment.selectionSet);
    visiting.delete(name);
    const shape = { ...inner, directives: inner.directives + (fragment.directives?.length ?? 0) };
    measured.set(name, shape);
    return shape;
  }

  function ofSelections(set: SelectionSetNode | undefined): OperationShape {
    let depth = 0;
    let aliases = 0;
    let directives = 0;
    for (const selection of set?.selections ?? []) {
      directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases += 1;
        const inner = ofSelections(selection.selectionSet);
        if (!INTROSPECTION_FIELDS.has(selection.name.value)) depth = Math.max(depth, 1 + inner.depth);
        aliases += inner.aliases;
        directives += inner.directives;
      } else {
        const inner = selection.kind === Kind.INLINE_FRAGMENT ? ofSelections(selection.selectionSet) : ofFragment(selection.name.value);
        depth = Math.max(depth, inner.depth);
        aliases += inner.aliases;
        directives += inner.directives;
      }
    }
    return { depth, aliases, directives };
  }

  return document.definitions.flatMap((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
    const inner = ofSelections(definition.selectionSet);
    return [{ name: definition.name?.value, shape: { ...inner, directives: inner.directives + (definition.directives?.length ?? 0) } }];
  });
}
