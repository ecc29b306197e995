import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

const govukDist = join(dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')), 'dist', 'govuk');
const ownFiles = join(dirname(fileURLToPath(import.meta.url)), 'public');

/** URL prefixes and the directories they map to. GOV.UK Frontend's CSS asks for /assets/. */
const MOUNTS: readonly { prefix: string; dir: string; files?: readonly string[]; transform?: (text: string) => string }[] = [
  { prefix: '/assets/', dir: join(govukDist, 'assets') },
  { prefix: '/stylesheets/', dir: govukDist, files: ['govuk-frontend.min.css'], transform: withoutGdsTransport },
  { prefix: '/javascripts/', dir: govukDist, files: ['govuk-frontend.min.js', 'govuk-frontend.min.js.map'] },
  { prefix: '/stylesheets/', dir: ownFiles, files: ['council-commons.css'] },
  { prefix: '/javascripts/', dir: ownFiles, files: ['council-commons.js'] },
];

interface Loaded { body: Buffer; type: string; etag: string }

/**
 * Serves GOV.UK Frontend's compiled CSS, JavaScript, fonts and images from node_modules,
 * and the pages' own stylesheet and script, with their content types. Files are read once
 * and kept: they only change with a deploy.
 */
export function createStaticFiles() {
  const cache = new Map<string, Promise<Loaded | null>>();

  function locate(path: string): { file: string; transform?: (text: string) => string } | undefined {
    for (const mount of MOUNTS) {
      if (!path.startsWith(mount.prefix)) continue;
      const rest = path.slice(mount.prefix.length);
      if (mount.files && !mount.files.includes(rest)) continue;
      const file = normalize(join(mount.dir, rest));
      if (file.startsWith(mount.dir + sep) && TYPES[extname(file)]) return { file, transform: mount.transform };
    }
    return undefined;
  }

  async function load(file: string, transform?: (text: string) => string): Promise<Loaded | null> {
    try {
      const raw = await readFile(file);
      const body = transform ? Buffer.from(transform(raw.toString('utf8'))) : raw;
      return { body, type: TYPES[extname(file)]!, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    } catch {
      return null;
    }
  }

  return {
    /** Sends the file at `path` and returns true, or returns false when there is none. */
    async serve(path: string, ifNoneMatch: string | undefined, head: boolean, res: ServerResponse): Promise<boolean> {
      const found = locate(path);
      if (!found) return false;
      const { file, transform } = found;
      if (!cache.has(file)) cache.set(file, load(file, transform));
      const loaded = await cache.get(file)!;
      if (!loaded) return false;
      // Fonts carry a content hash in their names; the rest are revalidated by ETag.
      const cacheControl = /-[0-9a-f]{10}-v\d+\.woff2?$/.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600';
      const headers = { 'content-type': loaded.type, 'cache-control': cacheControl, etag: loaded.etag, 'x-content-type-options': 'nosniff' };
      if (ifNoneMatch === loaded.etag) {
        res.writeHead(304, headers).end();
        return true;
      }
      res.writeHead(200, { ...headers, 'content-length': String(loaded.body.length) });
      res.end(head ? undefined : loaded.body);
      return true;
    },
  };
}

/**
 * GOV.UK Frontend's compiled CSS sets the GDS Transport typeface, which is licensed for
 * services on GOV.UK only; the Design System asks everyone else to use Arial. Its source map
 * no longer matches once changed, so it is neither referenced nor served.
 */
export function withoutGdsTransport(css: string): string {
  return css
    .replace(/@font-face\{font-family:GDS Transport;[^}]*\}/g, '')
    .replaceAll('GDS Transport,arial,sans-serif', 'arial,sans-serif')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '');
}

export type StaticFiles = ReturnType<typeof createStaticFiles>;
