import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A recording HTTP double of GOV.UK Notify's send-email endpoint, checking each request
 * against Notify's documented API (POST /v2/notifications/email; a Bearer JWT, HS256, whose
 * `iss` is the service id and `iat` is now, signed with the key's secret; a JSON body with
 * `email_address` and `template_id` and only documented optional fields). It is not Notify:
 * it proves the adapter speaks the API, nothing about delivery.
 */
export interface RecordingNotify {
  readonly url: string;
  readonly requests: { path: string; body: Record<string, unknown> }[];
  /** Problems found with requests, in Notify's own error shape. */
  readonly violations: string[];
  /** The status the next requests get (201 unless set). */
  status: number;
  close(): Promise<void>;
}

const DOCUMENTED = new Set(['email_address', 'template_id', 'personalisation', 'reference', 'email_reply_to_id', 'one_click_unsubscribe_url']);

export async function startRecordingNotify({ serviceId, secret }: { serviceId: string; secret: string }): Promise<RecordingNotify> {
  const requests: RecordingNotify['requests'] = [];
  const violations: string[] = [];
  const state = { status: 201 };
  const server = createServer(async (req, res) => {
    const text = await read(req);
    const problems = check(req, text, serviceId, secret);
    violations.push(...problems);
    const body = safeJson(text) ?? {};
    requests.push({ path: req.url ?? '', body });
    const status = problems.length ? 400 : state.status;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status === 201
      ? { id: '740e5834-3a29-46b4-9a6f-16142fde0e9b', reference: body.reference ?? null, content: { subject: (body.personalisation as any)?.subject, body: (body.personalisation as any)?.body, from_email: 'commons@notifications.service.gov.uk', one_click_unsubscribe_url: body.one_click_unsubscribe_url }, uri: 'https://api.notifications.service.gov.uk/v2/notifications/740e5834-3a29-46b4-9a6f-16142fde0e9b', template: { id: body.template_id, version: 1, uri: 'https://api.notifications.service.gov.uk/v2/template/x' } }
      : { status_code: status, errors: [{ error: status === 400 ? 'BadRequestError' : 'Exception', message: problems.join('; ') || 'Internal server error' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests, violations,
    get status() { return state.status; },
    set status(value: number) { state.status = value; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function check(req: IncomingMessage, text: string, serviceId: string, secret: string): string[] {
  const problems: string[] = [];
  if (req.method !== 'POST' || req.url !== '/v2/notifications/email') problems.push(`unexpected ${req.method} ${req.url}`);
  if (!String(req.headers['content-type']).startsWith('application/json')) problems.push('Content-Type must be application/json');
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token) problems.push('no Bearer token');
  else {
    const [header, payload, signature] = token.split('.');
    const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    const claims = safeJson(Buffer.from(payload ?? '', 'base64url').toString()) ?? {};
    if ((safeJson(Buffer.from(header ?? '', 'base64url').toString()) ?? {}).alg !== 'HS256') problems.push('JWT alg must be HS256');
    if (signature !== expected) problems.push('JWT signature does not match the secret key');
    if (claims.iss !== serviceId) problems.push('JWT iss must be the service id');
    if (typeof claims.iat !== 'number' || Math.abs(claims.iat - Date.now() / 1000) > 30) problems.push('JWT iat must be within 30 seconds of now');
  }
  const body = safeJson(text);
  if (!body) return [...problems, 'body is not JSON'];
  for (const key of Object.keys(body)) if (!DOCUMENTED.has(key)) problems.push(`${key} is not a documented field`);
  if (typeof body.email_address !== 'string' || !body.email_address.includes('@')) problems.push('email_address is required');
  if (typeof body.template_id !== 'string' || !/^[0-9a-f-]{36}$/.test(body.template_id)) problems.push('template_id must be a UUID');
  if (body.personalisation !== undefined && (typeof body.personalisation !== 'object' || Array.isArray(body.personalisation))) problems.push('personalisation must be an object');
  if (body.reference !== undefined && typeof body.reference !== 'string') problems.push('reference must be a string');
  if (body.one_click_unsubscribe_url !== undefined && !/^https:\/\//.test(String(body.one_click_unsubscribe_url))) problems.push('one_click_unsubscribe_url must be https');
  return problems;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeJson(text: string): Record<string, any> | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}
