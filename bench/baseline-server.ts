import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/**
 * The baseline for bench/query.ts: what a careful engineer would write by hand for one
 * page of 20 published problems with their council and counts. One joined, parameterized
 * statement (as the hub's are), no GraphQL, the same JSON as the hub. Run as a child process: `node --import tsx this-file`
 * with DATABASE_URL; prints `{"port": N}` once listening on 127.0.0.1.
 */
const PAGE = `
  select p.id, p.title, p.summary, p.service_area, p.supporter_count, p.adoption_count,
         c.name as council_name, c.slug as council_slug
  from problems p join councils c on c.id = p.council_id
  where p.visibility = 'published' and p.status <> 'archived'
  order by p.created_at desc, p.id desc
  limit $1`;

interface PageRow {
  id: string;
  title: string;
  summary: string;
  service_area: string;
  supporter_count: number;
  adoption_count: number;
  council_name: string;
  council_slug: string;
}

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: unknown };
      if (req.method !== 'POST' || typeof request.query !== 'string') return send(res, 400, { errors: [{ message: 'POST a query' }] });
      const { rows } = await pool.query<PageRow>(PAGE, [20]);
      send(res, 200, { data: { problems: { edges: rows.map((row) => ({ node: toNode(row) })) } } });
    } catch {
      send(res, 500, { errors: [{ message: 'internal error' }] });
    }
  });
});

function toNode(row: PageRow) {
  return {
    id: Buffer.from(`Problem:${row.id}`, 'utf8').toString('base64url'),
    title: row.title,
    summary: row.summary,
    serviceArea: row.service_area.toUpperCase(),
    supporterCount: row.supporter_count,
    adoptionCount: row.adoption_count,
    council: { name: row.council_name, slug: row.council_slug },
  };
}

function send(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/graphql-response+json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
