import { GraphQLError } from 'graphql';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TYPENAME = /^[A-Z][A-Za-z]{0,63}$/;

/** Global IDs are base64url("Typename:uuid"): opaque to clients, checked strictly on the way in. */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

/** The GraphQL type of an event's subject: `case_study` → `CaseStudy`. */
export function subjectTypename(subjectType: string): string {
  return subjectType.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

export function decodeGlobalId(globalId: string, isObjectType: (typename: string) => boolean = () => true): { typename: string; id: string } {
  const decoded = /^[A-Za-z0-9_-]{1,200}={0,2}$/.test(globalId)
    ? Buffer.from(globalId, 'base64url').toString('utf8')
    : '';
  const colon = decoded.indexOf(':');
  const typename = decoded.slice(0, colon);
  const id = decoded.slice(colon + 1).toLowerCase();
  // A well-formed ID naming a type the schema lacks is the client's mistake as well.
  if (colon < 1 || !TYPENAME.test(typename) || !UUID.test(id) || !isObjectType(typename)) {
    throw new GraphQLError(`"${globalId.slice(0, 100)}" is not a valid ID`, { extensions: { code: 'INVALID_ID' } });
  }
  return { typename, id };
}
