import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
/** Every ```graphql block, in the order a reader meets them. */
const EXAMPLES = [...README.matchAll(/^```graphql\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
/** What the README asks the reader to replace with the id an earlier example returned. */
const PLACEHOLDER = 'PASTE-THE-ID-HERE';

/** The last `id` in a response, as a reader would copy it from the result pane. */
function lastId(value: unknown): string | undefined {
  let found: string | undefined;
  JSON.stringify(value, (key, v) => { if (key === 'id' && typeof v === 'string') found = v; return v; });
  return found;
}

/** Runs a subscription over Server-Sent Events and resolves with its first event. */
async function firstEvent(url: string, query: string, token: string): Promise<any> {
  const abort = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST', signal: abort.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  const decoder = new TextDecoder();
  let text = '';
  try {
    const reader = response.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
      const data = /^event: next\ndata: (.*)$/m.exec(text);
      if (data) return JSON.parse(data[1]!);
    }
    throw new Error(`the subscription ended without an event: ${text}`);
  } finally {
    abort.abort();
  }
}

// A fresh hub as `npm start` starts it: embedded database in a new data directory, seeded,
// consumers in-process; the reader's token is the demo token it prints.
describe('the README GraphQL examples, word for word, on a fresh npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-readme-'));
  let hub: ServerProcess;
  let token: string;

  beforeAll(async () => {
    // WEBHOOKS_ALLOW_PRIVATE: the Webhooks section's example says to start the hub so to try it.
    hub = await startServerProcess({ DATA_DIR: dataDir, SEED: 'true', LOG_LEVEL: 'info', WEBHOOKS_ALLOW_PRIVATE: 'true' }, 240_000);
    token = JSON.parse(readFileSync(join(dataDir, 'demo-token.json'), 'utf8')).token;
  }, 300_000);
  afterAll(async () => {
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the examples', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(4);
    expect(EXAMPLES.some((e) => e.trimStart().startsWith('subscription'))).toBe(true);
  });

  it('answers every example with data and no errors, in order', async () => {
    let previous: unknown;
    for (const example of EXAMPLES) {
      let query = example;
      if (query.includes(PLACEHOLDER)) {
        const id = lastId(previous);
        expect(id, `an id for ${PLACEHOLDER}`).toBeDefined();
        query = query.replaceAll(PLACEHOLDER, id!);
      }
      if (query.trimStart().startsWith('subscription')) {
        const event = await firstEvent(hub.url, query, token);
        expect(event.errors, query).toBeUndefined();
        expect(Object.values(event.data ?? {})[0], query).toBeTruthy();
        previous = event;
        continue;
      }
      const response = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      const body = await response.json() as { data?: Record<string, any>; errors?: unknown };
      expect(body.errors, query).toBeUndefined();
      expect(response.status, query).toBe(200);
      // A mutation's typed error (`... on Error { code message }`) is data, but not success.
      for (const field of Object.values(body.data ?? {})) expect(field?.code, `${query}\n${JSON.stringify(field)}`).toBeUndefined();
      expect(body.data, query).toBeTruthy();
      previous = body;
    }
  }, 240_000);
});
