import SchemaBuilder, { BasePlugin, mapInputFields, type InputFieldsMapping, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { ValidationError, type FieldProblem } from '../server/kernel/errors.js';
import { decodeGlobalId } from '../server/kernel/global-id.js';

/** The object types an ID argument may name; `null` when any node will do. */
type IdTypes = readonly string[] | null;
type Mappings = InputFieldsMapping<SchemaTypes, IdTypes>;

/**
 * Checks every global ID a mutation is given before Pothos decodes it, so a malformed ID or
 * one of the wrong type comes back as a `ValidationError` in the mutation's payload, with the
 * input path of each bad ID (`problemId`, `solutionIds.2`), rather than as a top-level error
 * that nulls the whole response. Queries keep the top-level `INVALID_ID` error.
 */
export class IdErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    const errors = fieldConfig.extensions?.pothosErrors as unknown[] | undefined;
    if (!resolver || fieldConfig.kind !== 'Mutation' || !errors?.includes(ValidationError)) return resolver;
    const mappings = mapInputFields(fieldConfig.args, this.buildCache, (field): IdTypes | null => {
      const ext = field.extensions as { isRelayGlobalID?: boolean; relayGlobalIDFor?: { typename: string }[] | null } | undefined;
      if (!ext?.isRelayGlobalID) return null;
      return ext.relayGlobalIDFor?.map((t) => t.typename) ?? [];
    });
    if (!mappings) return resolver;
    const isObjectType = (typename: string) =>
      this.builder.configStore.hasConfig(typename) && this.builder.configStore.getTypeConfig(typename).graphqlKind === 'Object';
    return (source, args, context, info) => {
      const problems = badIds(args as Record<string, unknown>, mappings as unknown as Mappings, [], isObjectType);
      if (problems.length > 0) throw new ValidationError(problems);
      return resolver(source, args, context, info);
    };
  }
}

function badIds(values: Record<string, unknown>, mappings: Mappings, path: string[], isObjectType: (t: string) => boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  mappings.forEach((mapping, name) => {
    const at = [...path, name];
    eachItem(values[name], mapping.listDepth, at, (value, itemPath) => {
      if (mapping.kind === 'InputObject') {
        if (mapping.fields.map && typeof value === 'object') problems.push(...badIds(value as Record<string, unknown>, mapping.fields.map as Mappings, itemPath, isObjectType));
        return;
      }
      const types = mapping.value as IdTypes;
      const problem = idProblem(String(value), types ?? [], isObjectType);
      // Payload paths are relative to the mutation's `input` argument, like every FieldProblem.
      if (problem) problems.push({ field: (itemPath[0] === 'input' ? itemPath.slice(1) : itemPath).join('.'), message: problem });
    });
  });
  return problems;
}

function eachItem(value: unknown, depth: number, path: string[], visit: (value: unknown, path: string[]) => void): void {
  if (value === null || value === undefined) return;
  if (depth === 0) return visit(value, path);
  if (Array.isArray(value)) value.forEach((item, i) => eachItem(item, depth - 1, [...path, String(i)], visit));
}

function idProblem(value: string, types: readonly string[], isObjectType: (t: string) => boolean): string | undefined {
  let typename: string;
  try {
    typename = decodeGlobalId(value, isObjectType).typename;
  } catch {
    return `"${value.slice(0, 100)}" is not a valid ID`;
  }
  if (types.length > 0 && !types.includes(typename)) return `must be the ID of a ${types.join(' or ')}, not of a ${typename}`;
  return undefined;
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      idErrors: IdErrorsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('idErrors', IdErrorsPlugin);
