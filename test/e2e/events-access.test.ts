import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { createMember, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeAfterEach, subscribeSse, subscribeWs, type TestSubscription } from '../support/subscribers.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const EVENTS = `subscription { events { position type } }`;
const REMOVE = `mutation($id: ID!) { removeMember(input: { id: $id }) { __typename } }`;
const REVOKE = `mutation($id: ID!) { revokeApiToken(input: { id: $id }) { __typename } }`;
const CHANGE_ROLE = `mutation($id: ID!) { updateMemberRole(input: { id: $id, role: ADMIN }) { __typename } }`;

// What a subscriber may see is settled when it subscribes; when its member is removed or
// changes role, or its token is revoked, it must not keep listening as who it was.
describe.each(testDatabases())('subscribers whose access changes on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const track = closeAfterEach();

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const codeOf = (sub: TestSubscription) => sub.errors.map((e: any) => e?.extensions?.code ?? e?.[0]?.extensions?.code ?? JSON.stringify(e));
  const ended = (sub: TestSubscription) => waitFor(() => sub.ended, { what: 'the subscription to end' });

  it('ends the subscriptions of a removed member, over WebSocket and SSE, with the position to resume after', async () => {
    const leaver = await createMember(database.db, people.a.council.id, 'member');
    const stayer = track(subscribeWs(hub.url, EVENTS, {}, people.a.member.token));
    const ws = track(subscribeWs(hub.url, EVENTS, {}, leaver.token));
    const subs = [ws, track(subscribeSse(hub.url, EVENTS, {}, leaver.token))];
    await Promise.all([...subs, stayer].map((s) => s.ready));
    const removed = await hub.gql(REMOVE, { id: encodeGlobalId('Member', leaver.id) }, people.a.admin.token);
    expect(removed.data.removeMember.__typename).toBe('RemoveMemberPayload');
    for (const sub of subs) {
      await ended(sub);
      expect(codeOf(sub)).toEqual(['ACCESS_CHANGED']);
    }
    // Another member of the council hears of the removal and keeps listening.
    await waitFor(() => stayer.received.some((r) => r.events.type === 'MEMBER_REMOVED'), { what: 'the removal event' });
    expect(stayer.ended).toBe(false);
    // The socket authenticated before the removal: its next operation closes it, 4403.
    const closed = await new Promise<unknown>((resolve) => {
      ws.client.subscribe({ query: '{ viewer { member { name } } }' }, { next: () => {}, error: resolve, complete: () => resolve('complete') });
    });
    expect((closed as { code?: number }).code).toBe(4403);
    // Subscribing again as the removed member is refused.
    const again = track(subscribeSse(hub.url, EVENTS, {}, leaver.token));
    expect(await again.status).toBe(401);
  });

  it('ends the subscriptions of a revoked token but not those of the same member\'s other tokens', async () => {
    const member = await createMember(database.db, people.a.council.id, 'member');
    const issued = await hub.gql(`mutation { createApiToken(input: { label: "second" }) { ... on CreateApiTokenPayload { token } } }`, {}, member.token);
    const second = issued.data.createApiToken.token as string;
    const revoked = track(subscribeSse(hub.url, EVENTS, {}, member.token));
    const kept = track(subscribeSse(hub.url, EVENTS, {}, second));
    await Promise.all([revoked.ready, kept.ready]);
    const result = await hub.gql(REVOKE, { id: encodeGlobalId('ApiToken', member.viewer.tokenId) }, people.a.admin.token);
    expect(result.data.revokeApiToken.__typename).toBe('RevokeApiTokenPayload');
    await ended(revoked);
    expect(codeOf(revoked)).toEqual(['ACCESS_CHANGED']);
    await waitFor(() => kept.received.some((r) => r.events.type === 'API_TOKEN_REVOKED'), { what: 'the revocation event' });
    expect(kept.ended).toBe(false);
  });

  it('ends a subscription when its member changes role, so it resubscribes with what the new role sees', async () => {
    const member = await createMember(database.db, people.a.council.id, 'member');
    const sub = track(subscribeSse(hub.url, EVENTS, {}, member.token));
    await sub.ready;
    const changed = await hub.gql(CHANGE_ROLE, { id: encodeGlobalId('Member', member.id) }, people.a.admin.token);
    expect(changed.data.updateMemberRole.__typename).toBe('UpdateMemberRolePayload');
    await ended(sub);
    expect(codeOf(sub)).toEqual(['ACCESS_CHANGED']);
    const again = track(subscribeSse(hub.url, EVENTS, {}, member.token));
    expect(await again.status).toBe(200);
  });
});
