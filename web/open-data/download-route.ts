import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fresh from 'fresh';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { DatabaseEngine } from '../../server/db/connect.js';
import type { Database } from '../../server/db/database.js';
import { isDatabaseUnavailable } from '../../server/db/unavailable.js';
import { findOpenDataFile, type OpenDataFormat } from '../../server/domain/open-data/catalogue.js';
import { fileStem, type OpenDataset } from '../../server/domain/open-data/dataset.js';
import { copyDataset } from '../../server/domain/open-data/copy-encode.js';
import { CONTENT_TYPES, encodeDataset } from '../../server/domain/open-data/encode.js';
import { jsonSchemaOf } from '../../server/domain/open-data/json-schema.js';
import { inSnapshot, openSharedSnapshot, type DataVersion } from '../../server/domain/open-data/snapshot.js';
import type { RouteHandler } from '../../server/http/server.js';
import type { Logger } from '../../server/logger.js';
import { PAGE_SECURITY_HEADERS } from '../security-headers.js';

export interface DownloadDeps {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /** PostgreSQL's connection settings: the big files are read over a connection of their own. */
  readonly pgConfig?: pg.ClientConfig | undefined;
  readonly logger: Logger;
  /** Downloads read from the database at once in this process; more wait for a 503. @default 2 */
  readonly maxConcurrent?: number;
  /** A download whose client takes no bytes for this long is cut off. @default 60000 */
  readonly stallTimeoutMs?: number;
  /** Where PGlite exports are spooled. @default os.tmpdir() */
  readonly spoolDir?: string;
}

type Headers = Record<string, string>;

/**
 * `/data/<name>-v<version>.csv`, `.jsonl` and `.schema.json`. A file is one consistent
 * snapshot (one REPEATABLE READ transaction, read in keyset batches so memory stays flat)
 * with an ETag and Last-Modified naming that snapshot's version, so a conditional GET that
 * still matches is answered 304 without reading a row.
 *
 * How the snapshot reaches the client depends on the engine:
 * - PostgreSQL encodes the files that can be (problems, solutions, case studies) itself, and
 *   COPY streams them to the client as Buffers, without a string per cell on the JavaScript
 *   heap (copy-encode.ts). That runs on a connection of its own which imports the snapshot,
 *   held for as long as the client takes, bounded by `stallTimeoutMs` of silence and by
 *   `maxConcurrent` downloads per process. The other files stream each batch to the client
 *   as it is read, inside the transaction, on a pooled connection, within the same bounds.
 * - PGlite has one connection, and a transaction holds it exclusively: streaming to a slow
 *   client would stall every other request for as long as that client liked. So the snapshot
 *   is read at database speed into a temporary file (still in batches, still flat memory),
 *   the transaction ends, and the file is streamed from disk. Other requests wait only for
 *   the read itself (bench/export.ts measures it).
 */
export function createDownloadRoute(deps: DownloadDeps): RouteHandler {
  const maxConcurrent = deps.maxConcurrent ?? 2;
  let running = 0;
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/data\/([a-z0-9.-]{1,80})$/.exec(path);
    const file = match ? findOpenDataFile(match[1]!) : null;
    if (!file) return false;
    if (file.format === 'schema') return sendSchema(req, res, file.dataset), true;
    if (running >= maxConcurrent) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5', 'cache-control': 'no-store' });
      res.end('Too many downloads at once: try again in a few seconds.\n');
      return true;
    }
    // The slot is free once the response is done, before the transaction's commit or the spool
    // file's removal: a client that asks again right after a download (or a 304) is not refused.
    running++;
    let held = true;
    const release = () => { if (held) { held = false; running--; } };
    res.once('close', release);
    try {
      await download(deps, req, res, file.dataset, file.format);
    } catch (error) {
      const unavailable = isDatabaseUnavailable(error);
      if (!unavailable) deps.logger.error('open data download failed', { url: req.url, error });
      // Cut a download already under way rather than end it: a short file must not look whole.
      if (res.headersSent) return res.destroy(), true;
      res.writeHead(unavailable ? 503 : 500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...(unavailable ? { 'retry-after': '5' } : {}) });
      res.end(unavailable ? 'The database is unavailable: try again in a few seconds.\n' : 'The download failed.\n');
    } finally {
      release();
    }
    return true;
  };
}

function headersFor(dataset: OpenDataset, format: Exclude<OpenDataFormat, 'schema'>, version: DataVersion): Headers {
  const name = `${fileStem(dataset)}.${format}`;
  return {
    ...PAGE_SECURITY_HEADERS,
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="${name}"`,
    etag: `"${name}@${version.position}"`,
    ...(version.at ? { 'last-modified': version.at.toUTCString() } : {}),
    // Public data: any cache may keep it, but must ask again (a 304 is cheap).
    'cache-control': 'public, no-cache',
    link: `<${fileStem(dataset)}.schema.json>; rel="describedby"`,
  };
}

async function download(deps: DownloadDeps, req: IncomingMessage, res: ServerResponse, dataset: OpenDataset, format: 'csv' | 'jsonl'): Promise<void> {
  const spool = deps.engine === 'pglite' ? join(deps.spoolDir ?? tmpdir(), `cc-export-${randomBytes(8).toString('hex')}`) : null;
  const copy = deps.engine === 'postgres' && deps.pgConfig && dataset.cellsQuery ? deps.pgConfig : null;
  const stallTimeoutMs = deps.stallTimeoutMs ?? 60_000;
  let reader: pg.Client | undefined;
  try {
    const ready = await inSnapshot(deps.db, async (trx, version) => {
      const headers = headersFor(dataset, format, version);
      if (isFresh(req, headers)) return void res.writeHead(304, headers).end();
      if (req.method === 'HEAD') return void res.writeHead(200, headers).end();
      if (copy) return reader = await openSharedSnapshot(trx, copy), headers;
      // One batch's text waits at a time (the default queues 16): memory stays one batch deep.
      const body = Readable.from(encodeDataset(dataset, format, trx), { highWaterMark: 1 });
      if (spool) return pipeline(body, createWriteStream(spool)).then(() => headers);
      res.writeHead(200, headers).setTimeout(stallTimeoutMs, () => res.destroy());
      await pipeline(body, res);
    });
    if (!ready) return;
    if (reader) {
      res.writeHead(200, ready).setTimeout(stallTimeoutMs, () => res.destroy());
      await pipeline(Readable.from(copyDataset(reader, deps.db, dataset, format)), res);
      return;
    }
    if (!spool) return;
    res.writeHead(200, { ...ready, 'content-length': String((await stat(spool)).size) }).setTimeout(stallTimeoutMs, () => res.destroy());
    await pipeline(createReadStream(spool), res);
  } catch (error) {
    // A client that goes away mid-download is not a failure of ours.
    if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  } finally {
    // Ending the connection ends its read-only transaction.
    await reader?.end().catch(() => {});
    if (spool) await rm(spool, { force: true });
  }
}

/**
 * RFC 9110 conditional GET, by the `fresh` package. Only the validators are passed: `fresh`
 * treats a request's `Cache-Control: no-cache` as "send it all", but that directive is for
 * caches on the way, and fetch() adds it to every request with an If-None-Match.
 */
function isFresh(req: IncomingMessage, headers: Headers): boolean {
  return fresh({ 'if-none-match': req.headers['if-none-match'], 'if-modified-since': req.headers['if-modified-since'] }, headers);
}

function sendSchema(req: IncomingMessage, res: ServerResponse, dataset: OpenDataset): void {
  const body = JSON.stringify(jsonSchemaOf(dataset), null, 2) + '\n';
  const headers: Headers = {
    ...PAGE_SECURITY_HEADERS,
    'content-type': CONTENT_TYPES.schema,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    'cache-control': 'public, no-cache',
  };
  if (isFresh(req, headers)) return void res.writeHead(304, headers).end();
  res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(req.method === 'HEAD' ? undefined : body);
}
