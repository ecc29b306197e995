import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { ValidationError, type FieldProblem } from '../server/kernel/errors.js';

/** The page sizes a field's `first` and `last` accept. */
export interface PageSize {
  readonly min: number;
  readonly max: number;
}

/** Every connection: Relay allows `first: 0`; 100 is Pothos's own cap, now an error rather than silent. */
export const CONNECTION_PAGE: PageSize = { min: 0, max: 100 };

/** Field `extensions` giving a field other page sizes than CONNECTION_PAGE. */
export function pageSize(size: PageSize): { readonly pageSize: PageSize } {
  return { pageSize: size };
}

/**
 * Refuses a `first` or `last` outside the field's page sizes with a ValidationError naming the
 * argument, on every field that has one. Pothos's connection helpers would otherwise cap
 * `first: 500` at 100 without a word, while `search` refused its own maximum: one rule now.
 */
export class PageSizePlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const names = ['first', 'last'].filter((name) => {
      const type = fieldConfig.args[name]?.type;
      return type?.kind === 'Scalar' && this.buildCache.getTypeConfig(type.ref).name === 'Int';
    });
    if (names.length === 0) return resolver;
    const size = (fieldConfig.extensions?.pageSize as PageSize | undefined) ?? CONNECTION_PAGE;
    return (source, args, context, info) => {
      const problems = names.flatMap((name): FieldProblem[] => {
        const value = (args as Record<string, unknown>)[name];
        if (value === null || value === undefined) return [];
        const ok = typeof value === 'number' && value >= size.min && value <= size.max;
        return ok ? [] : [{ field: name, message: `must be a whole number from ${size.min} to ${size.max}` }];
      });
      if (problems.length > 0) throw new ValidationError(problems);
      return resolver(source, args, context, info);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      pageSize: PageSizePlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('pageSize', PageSizePlugin);
