import type { FieldError } from '../form-fields.js';
import type { ItemForm } from './item-forms.js';

// The GraphQL the writing pages send, built from each kind's form so the names match.

const ERRORS = `... on ValidationError { message fields { field message } } ... on ConflictError { message currentVersion } ... on Error { message }`;
const lower = (type: string) => type.charAt(0).toLowerCase() + type.slice(1);

/** The item as its edit form and check page need it. */
export function editableQuery(form: ItemForm): string {
  return `query($id: ID!) { node(id: $id) { __typename ... on ${form.type} {
    id version visibility viewerCanEdit council { name slug } ${form.fields.map((f) => f.name).join(' ')} } } }`;
}

export function createMutation(form: ItemForm): string {
  return `mutation($input: Create${form.type}Input!) { result: create${form.type}(input: $input) {
    __typename ... on Create${form.type}Payload { item: ${lower(form.type)} { id title version } } ${ERRORS} } }`;
}

export function updateMutation(form: ItemForm): string {
  return `mutation($input: Update${form.type}Input!) { result: update${form.type}(input: $input) {
    __typename ... on Update${form.type}Payload { item: ${lower(form.type)} { id title version } } ${ERRORS} } }`;
}

/** publish or archive, whose inputs have the same fields, `{ id, version }`. */
export function versionMutation(form: ItemForm, verb: 'publish' | 'archive'): string {
  const payload = `${verb === 'publish' ? 'Publish' : 'Archive'}${form.type}Payload`;
  return `mutation($id: ID!, $version: Int) { result: ${verb}${form.type}(input: { id: $id, version: $version }) {
    __typename ... on ${payload} { item: ${lower(form.type)} { id title version } } ${ERRORS} } }`;
}

export const DUPLICATE_CHECK = `query($kind: SearchKind!, $title: String!, $summary: String) {
  duplicateCheck(kind: $kind, title: $title, summary: $summary) {
    likeness reasons item { id: contentId kind title summary council { name slug } } addressedBy { id: contentId title council { name } } } }`;

export const SERVICE_AREAS = `{ serviceAreas { code name } }`;

export interface Editable {
  readonly __typename: string;
  readonly id: string;
  readonly version: number;
  readonly visibility: 'DRAFT' | 'PUBLISHED';
  readonly viewerCanEdit: boolean;
  readonly council: { readonly name: string; readonly slug: string };
  readonly [field: string]: unknown;
}

export type WriteResult =
  | { readonly __typename: 'Written'; readonly item: { readonly id: string; readonly title: string; readonly version: number } }
  | { readonly __typename: 'ValidationError'; readonly message: string; readonly fields: FieldError[] }
  | { readonly __typename: 'ConflictError'; readonly message: string; readonly currentVersion: number | null }
  | { readonly __typename: 'Refused'; readonly message: string };

/** Folds a payload's many type names into the four outcomes a page handles. */
export function readWriteResult(result: { __typename: string; item?: unknown; message?: string }): WriteResult {
  if (result.item) return { ...(result as object), __typename: 'Written' } as WriteResult;
  if (result.__typename === 'ValidationError' || result.__typename === 'ConflictError') return result as WriteResult;
  return { __typename: 'Refused', message: result.message ?? 'the change was refused' };
}

export interface PossibleDuplicate {
  readonly likeness: 'DUPLICATE' | 'RELATED' | 'LIKELY_ABOUT';
  readonly reasons: readonly string[];
  readonly item: { readonly id: string; readonly kind: string; readonly title: string; readonly summary: string; readonly council: { readonly name: string; readonly slug: string } };
  readonly addressedBy: readonly { readonly id: string; readonly title: string; readonly council: { readonly name: string } }[];
}
