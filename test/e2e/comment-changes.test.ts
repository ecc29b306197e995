import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStoredEvent } from '../../server/events/outbox.js';
import { canSee } from '../../server/auth/viewer.js';
import { countRows, ERROR_FIELDS, failEventAppends, globalId, insertContent, rawId } from '../support/content-rows.js';
import { type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const ADD = `mutation($input: AddCommentInput!) { addComment(input: $input) { ... on AddCommentPayload { comment { id } } ${ERROR_FIELDS} } }`;
const EDIT = `mutation($input: EditCommentInput!) { editComment(input: $input) { ... on EditCommentPayload { comment { id body editedAt createdAt } } ${ERROR_FIELDS} } }`;
const DELETE = `mutation($input: DeleteCommentInput!) { deleteComment(input: $input) { ... on DeleteCommentPayload { comment { id body } } ${ERROR_FIELDS} } }`;
const BODIES = `query($id: ID!) { node(id: $id) { ... on Content { commentCount comments { edges { node { id body editedAt } } } } } }`;

describe.each(testDatabases())('editing and deleting comments on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const snapshot = async () => [await countRows(database.db, 'comments'), await countRows(database.db, 'outbox_events'),
    JSON.stringify(await database.db.selectFrom('comments').select(['id', 'body', 'edited_at']).orderBy('id').execute())];
  const problem = async (visibility: 'draft' | 'published' = 'published') => globalId('Problem', await insertContent(database.db, 'problems', people.a.admin, visibility, 'Missed bin collections'));
  async function add(subjectId: string, body: string, token: string): Promise<string> {
    const res = await hub.gql(ADD, { input: { subjectId, body } }, token);
    return res.data.addComment.comment.id;
  }
  const edit = async (id: string, body: string, token?: string) => (await hub.gql(EDIT, { input: { id, body } }, token)).data.editComment;
  const remove = async (id: string, token?: string) => (await hub.gql(DELETE, { input: { id } }, token)).data.deleteComment;
  const eventsOf = (id: string) => database.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', rawId(id)).orderBy('position').execute();

  it('lets the author edit their comment, with its event in the same transaction', async () => {
    const subject = await problem();
    const id = await add(subject, 'We use a paper form.', people.b.member.token);
    const edited = await edit(id, 'We use an **online** form now.', people.b.member.token);
    expect(edited).toMatchObject({ __typename: 'EditCommentPayload', comment: { id, body: 'We use an **online** form now.' } });
    expect(Date.parse(edited.comment.editedAt)).toBeGreaterThanOrEqual(Date.parse(edited.comment.createdAt));
    const shown = await hub.gql(BODIES, { id: subject });
    expect(shown.data.node.comments.edges.map((e: any) => e.node.body)).toEqual(['We use an **online** form now.']);
    const [, event] = await eventsOf(id);
    expect(event).toMatchObject({ type: 'comment.edited', subject_type: 'comment', council_id: people.a.council.id, visibility: 'published' });
    expect(event!.payload).toMatchObject({ subjectId: rawId(subject), authorId: people.b.member.id, body: 'We use an **online** form now.', actorMemberId: people.b.member.id });

    const before = await snapshot();
    const undo = await failEventAppends(database.db, 'comment.edited');
    try {
      expect((await hub.gql(EDIT, { input: { id, body: 'Lost' } }, people.b.member.token)).errors?.[0]?.message).toBe('Unexpected error.');
    } finally {
      await undo();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets the author delete their comment, and an admin of the author\'s council delete any of its members\' comments', async () => {
    const subject = await problem();
    const own = await add(subject, 'Ours', people.b.member.token);
    const moderated = await add(subject, 'Off topic', people.b.editor.token);
    expect(await remove(own, people.b.member.token)).toMatchObject({ __typename: 'DeleteCommentPayload', comment: { id: own, body: 'Ours' } });
    expect(await remove(moderated, people.b.admin.token)).toMatchObject({ __typename: 'DeleteCommentPayload', comment: { id: moderated } });
    expect((await hub.gql(BODIES, { id: subject })).data.node).toMatchObject({ commentCount: 0, comments: { edges: [] } });
    const events = await eventsOf(moderated);
    expect(events.map((e) => e.type)).toEqual(['comment.added', 'comment.deleted']);
    // A deleted comment's words are not sent on again.
    expect(events[1]!.payload).not.toHaveProperty('body');
    expect(events[1]!.payload).toMatchObject({ authorId: people.b.editor.id, byMemberId: people.b.admin.id });
    expect(await remove(own, people.b.member.token)).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('refuses every other member: other councils (admins too), other members of the same council, anonymous callers', async () => {
    const subject = await problem();
    const id = await add(subject, 'Council A\'s view', people.a.member.token);
    const before = await snapshot();
    for (const who of [people.b.member, people.b.editor, people.b.admin, people.a.editor]) {
      expect(await edit(id, 'Rewritten', who.token), `${who.role} of ${who.councilId} edits`).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    }
    // Admins delete their members' comments but never put words in their mouths.
    expect(await edit(id, 'Rewritten', people.a.admin.token)).toMatchObject({ __typename: 'ForbiddenError' });
    for (const who of [people.b.member, people.b.editor, people.b.admin, people.a.editor]) {
      expect(await remove(id, who.token), `${who.role} of ${who.councilId} deletes`).toMatchObject({ __typename: 'ForbiddenError' });
    }
    expect(await edit(id, 'Rewritten')).toMatchObject({ __typename: 'UnauthenticatedError' });
    expect(await remove(id)).toMatchObject({ __typename: 'UnauthenticatedError' });
    expect(await snapshot()).toEqual(before);

    // Council B's comment on council A's item: council A's admin cannot remove another council's words.
    const theirs = await add(subject, 'Council B\'s view', people.b.member.token);
    const withTheirs = await snapshot();
    expect(await remove(theirs, people.a.admin.token)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await snapshot()).toEqual(withTheirs);
  });

  it('hides comments on another council\'s draft (not found, nothing written) and keeps their events in the council', async () => {
    const draft = await problem('draft');
    const id = await add(draft, 'Before we publish', people.a.member.token);
    const before = await snapshot();
    expect(await edit(id, 'Peek', people.b.admin.token)).toMatchObject({ __typename: 'NotFoundError' });
    expect(await remove(id, people.b.admin.token)).toMatchObject({ __typename: 'NotFoundError' });
    expect(await snapshot()).toEqual(before);
    expect((await edit(id, 'Before we publish it', people.a.member.token)).__typename).toBe('EditCommentPayload');
    const [, edited] = await eventsOf(id);
    const event = toStoredEvent(edited!);
    expect(event).toMatchObject({ type: 'comment.edited', councilId: people.a.council.id, visibility: 'draft' });
    expect(canSee(people.b.admin.viewer, event)).toBe(false);
  });

  it('checks the new body and the id', async () => {
    const id = await add(await problem(), 'Fine', people.b.member.token);
    const before = await snapshot();
    for (const body of ['', '  ', 'x'.repeat(10_001)]) {
      expect(await edit(id, body, people.b.member.token)).toMatchObject({ __typename: 'ValidationError', fields: [expect.objectContaining({ field: 'body' })] });
    }
    expect((await edit(globalId('Comment', '00000000-0000-4000-8000-000000000000'), 'x', people.b.member.token)).__typename).toBe('NotFoundError');
    expect((await edit(globalId('Problem', rawId(id)), 'x', people.b.member.token)).__typename).toBe('ValidationError');
    expect((await edit('not-an-id', 'x', people.b.member.token)).__typename).toBe('ValidationError');
    expect(await snapshot()).toEqual(before);
  });
});
