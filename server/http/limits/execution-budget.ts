import {
  defaultFieldResolver, getNamedType, isCompositeType, isInterfaceType, isObjectType,
  type ExecutionResult, type GraphQLError, type GraphQLFieldResolver, type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.js';

/**
 * Objects one execution may resolve, counted as they resolve: the cost estimate bounds what
 * a document may ask for, this bounds what it gets, whatever the data and for trusted
 * documents too. Once spent, every further object field fails at once, so the execution
 * stops growing its result, and the result is replaced by one LIMIT_EXCEEDED error.
 */
export interface ExecutionBudget {
  readonly max: number;
  used: number;
  spent: boolean;
}

export function createExecutionBudget(max: number): ExecutionBudget {
  return { max, used: 0, spent: false };
}

/** What a client gets instead of the result of an execution that spent its budget. */
export function budgetSpentResult(budget: ExecutionBudget): ExecutionResult {
  return { errors: [spentError(budget)] };
}

interface Budgeted {
  readonly budget?: ExecutionBudget | undefined;
}

const metered = new WeakSet<GraphQLSchema>();

/**
 * Wraps the resolver of every field that returns objects so that each resolved object (each
 * item of a list) is charged to the budget on the execution's context. Contexts without one
 * (the web pages' in-process reads, a hub built without protections) pass through. Changes
 * the schema in place, once.
 */
export function meterResolvedObjects(schema: GraphQLSchema): void {
  if (metered.has(schema)) return;
  metered.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (isCompositeType(getNamedType(field.type))) field.resolve = charged(field.resolve ?? defaultFieldResolver);
    }
  }
}

function charged(resolve: GraphQLFieldResolver<unknown, Budgeted>): GraphQLFieldResolver<unknown, Budgeted> {
  return (source, args, context, info) => {
    const budget = context?.budget;
    if (!budget) return resolve(source, args, context, info);
    if (budget.spent) throw spentError(budget);
    const value = resolve(source, args, context, info);
    return isPromiseLike(value) ? value.then((v) => charge(budget, v)) : charge(budget, value);
  };
}

function charge(budget: ExecutionBudget, value: unknown): unknown {
  budget.used += Array.isArray(value) ? value.length : value == null ? 0 : 1;
  if (budget.used > budget.max) {
    budget.spent = true;
    throw spentError(budget);
  }
  return value;
}

function spentError(budget: ExecutionBudget): GraphQLError {
  return limitError('maxResolvedObjects', `The operation resolved more than ${budget.max} objects`, budget.max, 200, false);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Gives each query and mutation execution a fresh budget, and each subscription the size of
 * the budget every one of its events gets (shared-subscriptions.ts executes events itself).
 */
export function useExecutionBudget(maxResolvedObjects: number): Plugin<{ budget?: ExecutionBudget; eventBudget?: number }> {
  return {
    onExecute({ extendContext }) {
      const budget = createExecutionBudget(maxResolvedObjects);
      extendContext({ budget });
      return {
        onExecuteDone({ setResult }) {
          if (budget.spent) setResult(budgetSpentResult(budget));
        },
      };
    },
    onSubscribe({ extendContext }) {
      extendContext({ eventBudget: maxResolvedObjects });
    },
  };
}
