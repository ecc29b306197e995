/** What a graphql-ws `connection_init` payload says about who the client is. */
export type ConnectionCredential =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'header'; readonly header: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Where clients put the token, in the order they are looked for. */
const SHAPES: readonly (readonly string[])[] = [
  ['authorization'], ['Authorization'], ['headers', 'authorization'], ['headers', 'Authorization'], ['authToken'], ['token'],
];
// Any other key like these means the client meant to authenticate; silently treating it as
// anonymous would hide drafts and private events without saying why.
const CREDENTIAL_LIKE = /auth|token|bearer|jwt|credential|api[-_]?key|secret|session|cookie|password/i;
const HINT = 'send { authorization: "Bearer <token>" } (or { headers: { Authorization } }, { authToken }, { token })';

/**
 * Reads the token from the shapes clients use: `{ authorization }` (ours, and
 * graphql-ws's docs), `{ headers: { Authorization } }` (clients that mirror HTTP), `{ authToken }`
 * (Apollo's docs) and `{ token }`. A bare token gets the `Bearer` scheme.
 */
export function readConnectionCredential(params: Readonly<Record<string, unknown>> | undefined | null): ConnectionCredential {
  const payload = params ?? {};
  const found = SHAPES.map((path) => ({ path, value: at(payload, path) })).filter((f) => f.value !== undefined && f.value !== null);
  if (found.length > 0) {
    const values = found.map((f) => f.value);
    if (values.some((v) => typeof v !== 'string' || v.trim() === '')) {
      return { kind: 'unreadable', reason: `${found.map((f) => f.path.join('.')).join(', ')} must be a non-empty string; ${HINT}` };
    }
    const headers = new Set(values.map((v) => asHeader(v as string)));
    if (headers.size > 1) return { kind: 'unreadable', reason: 'connection_init carries two different credentials' };
    return { kind: 'header', header: [...headers][0]! };
  }
  const headers = payload.headers;
  const keys = [...Object.keys(payload), ...(headers && typeof headers === 'object' ? Object.keys(headers) : [])];
  const unknown = keys.find((key) => CREDENTIAL_LIKE.test(key));
  if (unknown !== undefined) return { kind: 'unreadable', reason: `"${unknown.slice(0, 40)}" is not a credential this hub reads; ${HINT}` };
  return { kind: 'anonymous' };
}

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function asHeader(value: string): string {
  const trimmed = value.trim();
  return /\s/.test(trimmed) ? trimmed : `Bearer ${trimmed}`;
}
