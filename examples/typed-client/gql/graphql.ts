/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A new problem, saved as a draft of your council */
export type CreateProblemInput = {
  /** Markdown, at most 100000 characters */
  body?: string | null | undefined;
  /** When its current phase is expected to end, YYYY-MM-DD: once it passes, its council is asked whether it is still current; null clears it */
  phaseEndsOn?: unknown;
  /** The service area it belongs to */
  serviceArea: ServiceArea;
  /** A public page where this was published before. An http or https address, at most 2000 characters; null clears it */
  sourceUrl?: string | null | undefined;
  /** Plain text, at most 1000 characters */
  summary: string;
  /** At most 20; each 1 to 50 letters, digits, spaces, hyphens or apostrophes, kept in lower case without repeats */
  tags?: Array<string> | null | undefined;
  /** One line, at most 200 characters */
  title: string;
};

/** The one service-area taxonomy used by every record, filter and subscription */
export type ServiceArea =
  /** Adult social care */
  | 'ADULT_SOCIAL_CARE'
  /** Children's social care and early help */
  | 'CHILDRENS_SOCIAL_CARE'
  /** Community and voluntary sector */
  | 'COMMUNITY_VOLUNTARY'
  /** Corporate (digital platforms, data, cyber, workforce) */
  | 'CORPORATE'
  /** Democracy, elections and engagement */
  | 'DEMOCRACY'
  /** Education and SEND */
  | 'EDUCATION_SEND'
  /** Environment and climate */
  | 'ENVIRONMENT_CLIMATE'
  /** Highways, streets and transport */
  | 'HIGHWAYS_TRANSPORT'
  /** Housing and homelessness */
  | 'HOUSING'
  /** Leisure, culture and tourism */
  | 'LEISURE_CULTURE'
  /** Licensing and public protection */
  | 'LICENSING_PROTECTION'
  /** Payments and income */
  | 'PAYMENTS_INCOME'
  /** Planning and building control */
  | 'PLANNING'
  /** Public health */
  | 'PUBLIC_HEALTH'
  /** Revenues, benefits and council tax */
  | 'REVENUES_BENEFITS'
  /** Waste and recycling */
  | 'WASTE';

/** Who can see an item */
export type Visibility =
  /** Visible to members of the owning council only */
  | 'DRAFT'
  /** Published, then hidden by a platform admin (moderation): visible to the owning council and platform admins only. Events are never HIDDEN */
  | 'HIDDEN'
  /** Visible to everyone */
  | 'PUBLISHED';

export type CreateProblemMutationVariables = Exact<{
  input: CreateProblemInput;
}>;


export type CreateProblemMutation = { createProblem:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'CreateProblemPayload', problem: { id: string, title: string, visibility: Visibility } }
    | { __typename: 'ForbiddenError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'UnauthenticatedError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, fields: Array<{ field: string, message: string }> }
   };


export const CreateProblemDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateProblem"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateProblemInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createProblem"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateProblemPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"problem"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"visibility"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateProblemMutation, CreateProblemMutationVariables>;