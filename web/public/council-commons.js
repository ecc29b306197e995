// Progressive enhancement only: every page works without this file.
import { initAll } from '/javascripts/govuk-frontend.min.js';

const SUBSCRIPTION = 'subscription($after: Position, $filter: EventFilterInput) { events(after: $after, filter: $filter) { position subjectId } }';
const NEWEST = 'query($q: String!, $filter: SearchFilterInput) { indexerStatus { position } search(query: $q, filter: $filter, first: 50, orderBy: NEWEST) { edges { node { id: contentId } } } }';

/**
 * "N new items match your search": follows what is published after the page was drawn
 * (Server-Sent Events from /graphql, narrowed by the search's filters), then asks the
 * search itself which of those items match, once the index has caught up with them.
 */
function startLiveSearch(main) {
  if (!main || !('EventSource' in window)) return;
  const search = JSON.parse(main.dataset.liveSearch);
  const after = Number(main.dataset.liveAfter);
  const notice = document.getElementById('live-notice');
  const count = notice.querySelector('[data-live-count]');
  const announce = document.querySelector('[data-live-announce]');
  const kinds = search.kinds.length ? search.kinds : ['PROBLEM', 'SOLUTION', 'CASE_STUDY'];
  const eventFilter = { types: kinds.map((kind) => `${kind}_PUBLISHED`) };
  if (search.serviceAreas.length) eventFilter.serviceAreas = search.serviceAreas;
  if (search.councilIds.length) eventFilter.councilIds = search.councilIds;
  if (search.tags.length) eventFilter.tags = search.tags;
  for (const key of ['regions', 'councilKinds', 'phases', 'outcomes']) if (search[key].length) eventFilter[key] = search[key];
  const searchFilter = {};
  for (const key of ['kinds', 'serviceAreas', 'councilIds', 'statuses', 'tags', 'regions', 'councilKinds', 'phases', 'outcomes']) if (search[key].length) searchFilter[key] = search[key];

  const published = new Set();
  const matched = new Set();
  let newest = after;
  let timer;
  let running = false;

  const params = new URLSearchParams({ query: SUBSCRIPTION, variables: JSON.stringify({ after, filter: eventFilter }) });
  // On a dropped connection EventSource reconnects with the same `after`: the replay
  // repeats events already seen, which the sets absorb.
  const source = new EventSource(`/graphql?${params}`);
  source.addEventListener('next', (message) => {
    const event = JSON.parse(message.data).data?.events;
    if (!event) return;
    published.add(event.subjectId);
    newest = Math.max(newest, Number(event.position));
    schedule(0);
  });
  source.addEventListener('complete', () => source.close());
  window.addEventListener('pagehide', () => source.close());

  function schedule(attempt) {
    clearTimeout(timer);
    timer = setTimeout(() => check(attempt), attempt === 0 ? 100 : 1000);
  }

  async function check(attempt) {
    if (running) return schedule(attempt);
    running = true;
    try {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: NEWEST, variables: { q: search.q, filter: Object.keys(searchFilter).length ? searchFilter : null } }),
      });
      const { data } = await response.json();
      for (const edge of data?.search.edges ?? []) if (published.has(edge.node.id)) matched.add(edge.node.id);
      show(matched.size);
      // The index trails the event log: look again until it has applied what we heard of.
      if ((data?.indexerStatus.position ?? 0) < newest && attempt < 60) schedule(attempt + 1);
    } catch {
      if (attempt < 60) schedule(attempt + 1);
    } finally {
      running = false;
    }
  }

  function show(n) {
    if (n === 0) return;
    const text = n === 1 ? '1 new item matches' : `${n} new items match`;
    if (count.textContent === text) return;
    count.textContent = text;
    notice.hidden = false;
    announce.textContent = `${text} your search.`;
  }
}

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
startLiveSearch(document.querySelector('[data-live-search]'));
