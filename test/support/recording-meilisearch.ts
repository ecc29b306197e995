import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findRoute, INTRODUCED, versionAtLeast } from './meilisearch-api-spec.js';
import { createFaults } from './meilisearch-faults.js';
import { storedSettings, updateSettings } from './meilisearch-stored-settings.js';

/**
 * A recording HTTP double for the wire test. It is NOT Meilisearch and searches nothing:
 * it records every request, checks it against the documented API (meilisearch-api-spec.ts)
 * and answers in the documented shapes, applying writes as asynchronous tasks (enqueued,
 * then processing, then succeeded, failed or canceled) so the adapter's task handling is
 * exercised. It can pretend to be an older version (refusing what that version did not
 * know), refuse bodies over the payload limit with 413, and show the faults in
 * meilisearch-faults.ts.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** When it arrived (performance.now()). */
  at: number;
}

interface Task {
  uid: number; indexUid: string | null; type: string; status: 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  polls: number; apply: () => string | undefined; error: { message: string; code: string; type: string; link: string } | null;
  enqueuedAt: string;
}

interface Index { settings: Record<string, unknown>; documents: Map<string, Record<string, unknown>> }


const apiError = (code: string, message: string) => ({ message, code, type: 'invalid_request', link: `https://docs.meilisearch.com/errors#${code}` });

export interface DoubleOptions {
  /** The admin key: every request must carry it (or `searchKey` where that is enough). */
  apiKey?: string;
  /**
   * A key with the `search` and `version` actions only: accepted on searches and GET
   * /version, refused elsewhere with 403 `invalid_api_key`, as Meilisearch's ActionPolicy does.
   */
  searchKey?: string;
  /** The version GET /version reports; older ones refuse what they did not know yet. @default '1.50.0' */
  version?: string;
  /** Bodies larger than this are refused with 413 payload_too_large. @default 100 MB, Meilisearch's default */
  payloadLimitBytes?: number;
}

export async function startRecordingMeilisearch(options: DoubleOptions = {}) {
  const version = options.version ?? '1.50.0';
  const payloadLimit = options.payloadLimitBytes ?? 100_000_000;
  const faults = createFaults();
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const indexes = new Map<string, Index>();
  const tasks: Task[] = [];
  const failures: { type: string; remaining: number; as: 'failed' | 'canceled' }[] = [];
  const held = new Set<string>();
  let searchResponder: (index: string, body: Record<string, any>) => Record<string, unknown> = (_, body) => ({
    hits: [], query: body.q ?? '', processingTimeMs: 1, limit: body.limit ?? 20, offset: body.offset ?? 0, estimatedTotalHits: 0, facetDistribution: {},
  });

  function enqueue(indexUid: string | null, type: string, apply: Task['apply']): Task {
    const task: Task = { uid: tasks.length, indexUid, type, status: 'enqueued', polls: 0, apply, error: null, enqueuedAt: new Date().toISOString() };
    tasks.push(task);
    return task;
  }

  // Each poll moves a task on one step, so a client that stops at "enqueued" is caught.
  function advance(task: Task): void {
    task.polls++;
    if (task.status === 'enqueued') task.status = 'processing';
    else if (task.status === 'processing' && !held.has(task.type)) {
      const scripted = failures.find((f) => f.type === task.type && f.remaining > 0);
      if (scripted) {
        scripted.remaining--;
        task.status = scripted.as;
        task.error = scripted.as === 'failed' ? apiError('internal', 'scripted failure from the recording double') : null;
        return;
      }
      const errorCode = task.apply();
      task.status = errorCode ? 'failed' : 'succeeded';
      task.error = errorCode ? apiError(errorCode, `task failed: ${errorCode}`) : null;
    }
  }

  function check(req: RecordedRequest): void {
    const route = findRoute(req.method, req.path);
    if (!route) return void violations.push(`${req.method} ${req.path}: not a documented route`);
    for (const key of Object.keys(req.query)) if (!route.query?.includes(key)) violations.push(`${req.method} ${req.path}: undocumented query parameter ${key}`);
    const keys = [options.apiKey, ...(isSearchAction(req) ? [options.searchKey] : [])].filter(Boolean);
    if (options.apiKey && !keys.some((key) => req.headers.authorization === `Bearer ${key}`)) violations.push(`${req.method} ${req.path}: missing Authorization: Bearer <key>`);
    if (route.body) {
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) violations.push(`${req.method} ${req.path}: body is not application/json`);
      const problems: string[] = [];
      route.body(req.body, 'body', problems);
      violations.push(...problems.map((p) => `${req.method} ${req.path}: ${p} (${route.doc})`));
    } else if (req.body !== undefined) {
      violations.push(`${req.method} ${req.path}: this route takes no body`);
    }
  }

  function handle(req: RecordedRequest): [number, unknown] {
    const [, first, uid, sub, leaf] = req.path.split('/');
    const body = req.body as any;
    if (first === 'tasks') {
      const task = tasks[Number(uid)];
      if (!task) return [404, apiError('task_not_found', 'Task not found.')];
      advance(task);
      const { polls: _polls, apply: _apply, ...view } = task;
      return [200, { ...view, canceledBy: task.status === 'canceled' ? tasks.length : null, details: {}, duration: null, startedAt: null, finishedAt: null }];
    }
    if (first === 'version') return [200, { commitSha: 'recording-double', commitDate: '2026-01-01T00:00:00Z', pkgVersion: version }];
    if (first === 'multi-search') {
      const results = (body.queries as Record<string, any>[]).map(({ indexUid, ...query }) => {
        const index = indexes.get(indexUid);
        if (index) checkSearchAgainstSettings(query, storedSettings(index.settings), violations);
        return index ? { indexUid, ...searchResponder(indexUid, query) } : undefined;
      });
      const missing = (body.queries as { indexUid: string }[]).find((_, i) => !results[i]);
      return missing ? [404, apiError('index_not_found', `Index \`${missing.indexUid}\` not found.`)] : [200, { results }];
    }
    if (first === 'swap-indexes') {
      const summary = enqueue(null, 'indexSwap', () => {
        for (const { indexes: [a, b] } of body as { indexes: [string, string] }[]) {
          const [ia, ib] = [indexes.get(a), indexes.get(b)];
          if (!ia || !ib) return 'index_not_found';
          indexes.set(a, ib);
          indexes.set(b, ia);
        }
        return undefined;
      });
      return [202, summarize(summary)];
    }
    if (first !== 'indexes') return [404, apiError('not_found', 'not found')];
    if (req.method === 'POST' && !uid) {
      return [202, summarize(enqueue(body.uid, 'indexCreation', () => {
        if (indexes.has(body.uid)) return 'index_already_exists';
        indexes.set(body.uid, { settings: {}, documents: new Map() });
        return undefined;
      }))];
    }
    const index = indexes.get(uid!);
    const ensure = () => indexes.get(uid!) ?? indexes.set(uid!, { settings: {}, documents: new Map() }).get(uid!)!;
    if (req.method === 'GET' && !sub) return index ? [200, { uid, primaryKey: 'id', createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' }] : [404, apiError('index_not_found', `Index \`${uid}\` not found.`)];
    if (req.method === 'DELETE' && !sub) return [202, summarize(enqueue(uid!, 'indexDeletion', () => (indexes.delete(uid!) ? undefined : 'index_not_found')))];
    if (sub === 'settings' && req.method === 'GET') return index ? [200, storedSettings(index.settings)] : [404, apiError('index_not_found', 'not found')];
    if (sub === 'settings' && req.method === 'PATCH') return [202, summarize(enqueue(uid!, 'settingsUpdate', () => { updateSettings(ensure().settings, body); return undefined; }))];
    if (sub === 'documents' && !leaf) {
      const key = req.query.primaryKey ?? 'id';
      for (const doc of body as Record<string, unknown>[]) if (!(key in doc)) violations.push(`document without its primary key ${key}`);
      for (const doc of body as Record<string, unknown>[]) checkVectorsAgainstSettings(doc, ensure().settings, violations);
      return [202, summarize(enqueue(uid!, 'documentAdditionOrUpdate', () => {
        for (const doc of body as Record<string, unknown>[]) ensure().documents.set(String(doc[key]), doc);
        return undefined;
      }))];
    }
    if (sub === 'documents' && leaf === 'delete-batch') {
      return [202, summarize(enqueue(uid!, 'documentDeletion', () => { for (const id of body) index?.documents.delete(String(id)); return undefined; }))];
    }
    if (sub === 'search') {
      if (!index) return [404, apiError('index_not_found', 'not found')];
      checkSearchAgainstSettings(body, storedSettings(index.settings), violations);
      return [200, searchResponder(uid!, body)];
    }
    return [404, apiError('not_found', 'not found')];
  }

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://double');
    const raw = Buffer.concat(chunks);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, at: performance.now(),
      body: raw.length > 0 && raw.length <= payloadLimit ? JSON.parse(raw.toString('utf8')) : undefined,
    };
    requests.push(recorded);
    if (raw.length <= payloadLimit) check(recorded);
    const delayMs = faults.delayFor(recorded.method, recorded.path);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (response.destroyed) return;
    const scripted = faults.take(recorded.method, recorded.path);
    if (scripted) {
      const text = typeof scripted.body === 'string';
      response.writeHead(scripted.status, { 'content-type': text ? 'text/html' : 'application/json', ...scripted.headers });
      return void response.end(text ? scripted.body as string : JSON.stringify(scripted.body ?? null));
    }
    const [status, payload] = answer(recorded, raw.length);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(payload));
  });

  function answer(recorded: RecordedRequest, bytes: number): [number, unknown] {
    // Meilisearch reads the body against --http-payload-size-limit before anything else.
    if (bytes > payloadLimit) {
      return [413, { ...apiError('payload_too_large', `The provided payload reached the size limit. The maximum accepted payload size is ${payloadLimit} bytes.`), type: 'invalid_request' }];
    }
    if (options.searchKey && recorded.headers.authorization === `Bearer ${options.searchKey}` && !isSearchAction(recorded)) {
      return [403, { ...apiError('invalid_api_key', 'The provided API key is invalid.'), type: 'auth' }];
    }
    const refused = INTRODUCED.find((f) => !versionAtLeast(version, f.since) && f.applies(recorded.method, recorded.path, recorded.body));
    if (refused) return [refused.status, apiError(refused.code, `Meilisearch ${version} does not know this (since ${refused.since}).`)];
    return handle(recorded);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests, violations, indexes, tasks, faults, version,
    /** The next `count` tasks of this type fail, as Meilisearch reports an internal error. */
    failTasks(type: string, count: number) { failures.push({ type, remaining: count, as: 'failed' }); },
    /** The next `count` tasks of this type end `canceled` (someone called POST /tasks/cancel). */
    cancelTasks(type: string, count: number) { failures.push({ type, remaining: count, as: 'canceled' }); },
    /** Tasks of this type stay `processing` (a long indexing run) until released. */
    holdTasks(type: string) { held.add(type); },
    releaseTasks() { held.clear(); },
    stopFailing() { failures.length = 0; faults.clear(); },
    respondToSearch(responder: typeof searchResponder) { searchResponder = responder; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export type RecordingMeilisearch = Awaited<ReturnType<typeof startRecordingMeilisearch>>;

/** Routes a key with only the `search` and `version` actions may call. */
function isSearchAction(req: { method: string; path: string }): boolean {
  return (req.method === 'POST' && (/^\/indexes\/[^/]+\/search$/.test(req.path) || req.path === '/multi-search')) || req.path === '/version';
}

function summarize(task: Task) {
  return { taskUid: task.uid, indexUid: task.indexUid, status: 'enqueued', type: task.type, enqueuedAt: task.enqueuedAt };
}

type Embedders = Record<string, { source: string; dimensions?: number }> | undefined;

/** Documented rule: a document's `_vectors` name configured embedders, with their dimensions. */
function checkVectorsAgainstSettings(doc: Record<string, unknown>, settings: Record<string, unknown>, violations: string[]): void {
  const embedders = settings.embedders as Embedders;
  for (const [name, vector] of Object.entries((doc._vectors ?? {}) as Record<string, unknown>)) {
    const embedder = embedders?.[name];
    if (!embedder) violations.push(`document ${String(doc.id)}: _vectors.${name} names no configured embedder`);
    else if (Array.isArray(vector) && vector.length !== embedder.dimensions) violations.push(`document ${String(doc.id)}: _vectors.${name} has ${vector.length} dimensions, the embedder ${embedder.dimensions}`);
  }
  if (embedders && Object.values(embedders).some((e) => e.source === 'userProvided') && !doc._vectors) {
    violations.push(`document ${String(doc.id)}: a userProvided embedder needs _vectors on every document`);
  }
}

/**
 * Documented rules: filter and facet attributes must be filterable, sort attributes
 * sortable; `hybrid` names a configured embedder, and a userProvided one needs `vector`
 * of its dimensions.
 */
function checkSearchAgainstSettings(body: Record<string, any>, settings: Record<string, unknown>, violations: string[]): void {
  const embedders = settings.embedders as Embedders;
  if (body.hybrid) {
    const embedder = embedders?.[body.hybrid.embedder];
    if (!embedder) violations.push(`search: hybrid embedder ${body.hybrid.embedder} is not configured`);
    else if (embedder.source === 'userProvided' && (!Array.isArray(body.vector) || body.vector.length !== embedder.dimensions)) {
      violations.push(`search: a userProvided embedder needs a vector of ${embedder.dimensions} numbers`);
    }
  } else if (body.vector) violations.push('search: vector without hybrid.embedder');
  const filterable = new Set(settings.filterableAttributes as string[]);
  const sortable = new Set(settings.sortableAttributes as string[]);
  for (const facet of body.facets ?? []) if (!filterable.has(facet)) violations.push(`search: facet ${facet} is not filterable`);
  for (const sort of body.sort ?? []) if (!sortable.has(sort.split(':')[0])) violations.push(`search: ${sort} is not sortable`);
  if (typeof body.filter === 'string') {
    for (const clause of body.filter.split(' AND ')) {
      // IN lists of strings, or the documented equality operators with a boolean (`outOfDate = true`).
      const match = /^([A-Za-z0-9_.]+) (NOT IN|IN) \[("(?:[^"\\]|\\.)*"(?:, "(?:[^"\\]|\\.)*")*)\]$/.exec(clause)
        ?? /^([A-Za-z0-9_.]+) (=|!=) (true|false)$/.exec(clause);
      if (!match) violations.push(`search: cannot parse filter clause ${clause}`);
      else if (!filterable.has(match[1]!)) violations.push(`search: filter attribute ${match[1]} is not filterable`);
    }
  }
}
