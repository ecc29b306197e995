import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { globalId } from '../support/content-rows.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import type { People } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

/** Runs `{ viewer }` with graphql-ws's own client, which sends `params` as connection_init. */
async function viewerOver(hub: TestApp, params: Record<string, unknown>): Promise<{ memberId?: string | null; closeCode?: number; reason?: string }> {
  const client = createClient({ url: `${hub.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: params, retryAttempts: 0, lazy: true });
  try {
    const result = await new Promise<any>((resolve, reject) => {
      client.subscribe({ query: '{ viewer { member { id } } }' }, { next: resolve, error: reject, complete: () => {} });
    });
    return { memberId: result.data.viewer.member?.id ?? null };
  } catch (error) {
    const event = error as { code?: number; reason?: string };
    return { closeCode: event.code, reason: event.reason };
  } finally {
    await client.dispose();
  }
}

describe.each(testDatabases())('graphql-ws authentication shapes on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  it('accepts the token in every shape clients use, with or without the Bearer scheme', async () => {
    const token = people.a.editor.token;
    const me = globalId('Member', people.a.editor.id);
    const shapes = [
      { authorization: `Bearer ${token}` },
      { Authorization: `Bearer ${token}` },
      { headers: { Authorization: `Bearer ${token}` } },
      { headers: { authorization: `Bearer ${token}` } },
      { authToken: token },
      { token },
      { authToken: `Bearer ${token}`, token },
    ];
    for (const params of shapes) expect(await viewerOver(hub, params), JSON.stringify(Object.keys(params))).toEqual({ memberId: me });
  });

  it('connects anonymously only when the payload carries no credential at all', async () => {
    expect(await viewerOver(hub, {})).toEqual({ memberId: null });
    expect(await viewerOver(hub, { headers: { 'x-request-id': 'abc' }, locale: 'en-GB' })).toEqual({ memberId: null });
  });

  it('refuses a credential it cannot read with 4401, and a bad token with 4403', async () => {
    for (const params of [{ auth: 'Bearer x' }, { headers: { 'X-Api-Key': 'x' } }, { authorization: 42 }, { accessToken: 'x' },
      { authorization: `Bearer ${people.a.editor.token}`, token: people.b.editor.token }]) {
      const refused = await viewerOver(hub, params);
      expect(refused.closeCode, JSON.stringify(params)).toBe(4401);
      expect(refused.reason).toBeTruthy();
    }
    expect((await viewerOver(hub, { authToken: 'cc_not_a_real_token' })).closeCode).toBe(4403);
  });
});
