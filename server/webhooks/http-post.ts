import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddressReason } from './address-check.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

export interface PostOptions {
  /** Allow http:// and loopback, private, link-local and metadata targets (tests only). */
  readonly allowPrivate: boolean;
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Resolves a host name to addresses. @default DNS through the operating system */
  readonly resolveHost?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

export interface PostResult {
  /** The response's status, or null when none arrived (refused, timed out, unreachable). */
  readonly statusCode: number | null;
  /** Why the attempt failed, as the council's delivery log may say it. */
  readonly error: string | null;
  readonly durationMs: number;
  /** For the operator's log only: a refusal's internal detail (the address a name resolved to). */
  readonly detail?: string;
}

const systemResolve = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Why a URL may not receive webhooks, before any address is known: null when it may.
 * Registration checks this and the addresses the name resolves to; every delivery checks
 * both again, since DNS can change after registration.
 */
export function refusedUrlReason(url: URL, allowPrivate: boolean): string | null {
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'the URL must use https';
  if (url.username || url.password) return 'the URL must not carry a user name or password';
  return null;
}

/** Resolves the URL's host and checks every address; throws a TargetRefused naming the reason. */
export async function resolveTarget(url: URL, options: Pick<PostOptions, 'allowPrivate' | 'resolveHost'>): Promise<ResolvedAddress[]> {
  const urlReason = refusedUrlReason(url, options.allowPrivate);
  if (urlReason) throw new TargetRefused(urlReason);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : [...await (options.resolveHost ?? systemResolve)(host)];
  if (addresses.length === 0) throw new TargetRefused(`${host} has no address`);
  if (!options.allowPrivate) {
    // Any refused address refuses the host: connecting to "the public one" would let a
    // name that resolves both ways pick its target by timing.
    for (const { address } of addresses) {
      const reason = refusedAddressReason(address);
      // The resolved address goes to the operator's log only: told to a council, it would map
      // the hub's internal names ("vm resolves to 10.0.0.7").
      if (reason) throw new TargetRefused(family ? `${address} ${reason}` : `${host} resolves to ${address}, which ${reason}`, family ? undefined : `${host} does not resolve to a public address`);
    }
  }
  return addresses;
}

export class TargetRefused extends Error {
  /** What the person registering the URL may be told: nothing they did not give. */
  readonly publicMessage: string;
  constructor(message: string, publicMessage?: string) {
    super(message);
    this.publicMessage = publicMessage ?? message;
  }
}

/**
 * POSTs a webhook with the safety rules of outbound calls: the host is resolved and checked
 * here, and the socket connects to that checked address (a lookup function that returns
 * it), so a DNS answer that changes between check and connect cannot redirect the request.
 * A fresh connection each time: a pooled one could outlive the check. Redirects are not
 * followed; the response body is read up to a cap and dropped.
 */
export async function postWebhook(target: string, headers: Record<string, string>, body: string, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { statusCode: null, error: 'refused: not a valid URL', durationMs: 0 };
  }
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
  try {
    const addresses = await abortable(resolveTarget(url, options), controller.signal);
    const statusCode = await send(url, addresses[0]!, headers, body, options, controller.signal);
    return { statusCode, error: statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`, durationMs: elapsed() };
  } catch (error) {
    const cause = controller.signal.aborted ? controller.signal.reason : error;
    if (!(cause instanceof TargetRefused)) return { statusCode: null, error: describe(cause), durationMs: elapsed() };
    // The delivery log is the council's to read: it says what registration would say, never
    // which internal address the name resolved to (issue 12, finding 6).
    const refused = { statusCode: null, error: `refused: ${cause.publicMessage}`, durationMs: elapsed() };
    return cause.message === cause.publicMessage ? refused : { ...refused, detail: `refused: ${cause.message}` };
  } finally {
    clearTimeout(deadline);
  }
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });
}

function send(url: URL, pinned: ResolvedAddress, headers: Record<string, string>, body: string, options: PostOptions, signal: AbortSignal): Promise<number> {
  const lookup: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = client.request(url, {
      method: 'POST',
      agent: false,
      lookup,
      signal,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'CouncilCommons-Webhooks/1' },
    });
    const fail = (error: Error) => { request.destroy(); reject(error); };
    request.once('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => fail(new Error(`could not connect within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
      // For https the handshake counts too: a peer that accepts and then stalls is not connected.
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    request.once('error', reject);
    request.once('response', (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        // The status is all that counts; a receiver that streams on is cut off.
        if (received > options.maxResponseBytes) {
          response.destroy();
          resolve(response.statusCode ?? 0);
        }
      });
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', () => resolve(response.statusCode ?? 0));
    });
    request.once('close', () => reject(new Error('connection closed before a response')));
    request.end(body);
  });
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset by the receiver';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found: ${message}`;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
