import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SearchEngine, SearchRequest } from '../../server/search/engine.js';
import { COUNCILS, CORPUS, IDS, docId } from './contract-corpus.js';

/**
 * The SearchEngine contract: what every adapter must do with the fixed corpus. Call it
 * inside a describe block; `setup` gives a fresh, empty index.
 */
export function searchEngineContract(setup: () => Promise<{ engine: SearchEngine; close(): Promise<void> }>) {
  let engine: SearchEngine;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ engine, close } = await setup());
    await engine.ensureSettings();
    await engine.ensureSettings(); // idempotent
    await engine.upsert(CORPUS);
  });
  afterAll(async () => close?.());

  const search = (query: string, extra: Partial<SearchRequest> = {}) => engine.search({ query, offset: 0, limit: 20, ...extra });
  const ids = async (query: string, extra: Partial<SearchRequest> = {}) => (await search(query, extra)).hits.map((h) => h.document.id);

  it('ranks the item whose title matches first', async () => {
    expect((await ids('housing repairs'))[0]).toBe(IDS.housingRepairs);
    expect((await ids('pothole'))[0]).toBe(IDS.potholes);
  });

  it('tolerates typos', async () => {
    expect((await ids('housng repiars')).slice(0, 3)).toContain(IDS.housingRepairs);
    expect((await ids('licence renewls')).slice(0, 3)).toContain(IDS.hmo);
  });

  it('knows council abbreviations and jargon (one synonym list)', async () => {
    const send = (await ids('SEND transport')).slice(0, 3);
    expect(send).toContain(IDS.sendTransport);
    expect(send).toContain(IDS.sendRouting); // says "special educational needs", never "SEND"
    // Meilisearch looks synonyms up on at most three query words, so a five-word long form
    // reaches nothing through them (README: synonym directions); its shorter forms do.
    expect(await ids('ehc plan')).toContain(IDS.ehcp);
    expect(await ids('ctax')).toContain(IDS.councilTax);
    expect((await ids('missed bins'))[0]).toBe(IDS.missedBins);
    expect(await ids('bins')).toContain(IDS.refuseApp); // "refuse collection"
    expect((await ids('ASC transport'))[0]).toBe(IDS.ascTransport);
    expect(await ids('disabled facilities grant')).toContain(IDS.dfg);
    expect(await ids('DFG')).toContain(IDS.dfg);
  });

  it('finds items by meaning when the words differ (hybrid)', async () => {
    // "Housing repairs requests arrive by phone…" in other words: no item has all of them.
    const query = 'residents keep ringing us about outstanding maintenance jobs on their homes';
    expect((await ids(query, { semanticRatio: 1 }))[0]).toBe(IDS.housingRepairs);
    const hybrid = await search(query);
    expect(hybrid.hits[0]?.document.id).toBe(IDS.housingRepairs);
    expect(hybrid.partialMatches).toBe(true);
  });

  it('says when no item has every word, ranking the items with the rarer words first', async () => {
    const result = await search('our tenants keep waiting for housing repairs and nobody answers the phone quickly enough', { semanticRatio: 0 });
    expect(result.partialMatches).toBe(true);
    expect(result.hits[0]?.document.id).toBe(IDS.housingRepairs);
    expect((await search('housing repairs')).partialMatches).toBe(false);
  });

  it('follows the few items with every word by those with most of the rarer words, without calling the page partial', async () => {
    // Only the missed-bins problem has all three words; the refuse app has "bins" (through
    // "refuse collection"), and "phone" is too common to bring anything on its own.
    const result = await search('missed bins phone', { semanticRatio: 0 });
    const found = result.hits.map((h) => h.document.id);
    expect(found[0]).toBe(IDS.missedBins);
    expect(found).toContain(IDS.refuseApp);
    expect(result.partialMatches).toBe(false);
  });

  it('never corrects a real word into another one ("delays" is not "days")', async () => {
    const found = await ids('EHCP delays', { semanticRatio: 0 });
    expect(found[0]).toBe(IDS.ehcp);
  });

  it('filters by kind, service area, council, tag, status, region, council kind, phase and outcome', async () => {
    const cases: [Partial<SearchRequest['filter']>, (d: (typeof CORPUS)[number]) => boolean][] = [
      [{ kinds: ['solution'] }, (d) => d.kind === 'solution'],
      [{ serviceAreas: ['housing'] }, (d) => d.serviceArea === 'housing'],
      [{ councilIds: [COUNCILS.kent.id] }, (d) => d.councilId === COUNCILS.kent.id],
      [{ tags: ['in-cab', 'ehcp'] }, (d) => d.tags.includes('in-cab') || d.tags.includes('ehcp')],
      [{ statuses: ['open'] }, (d) => d.status === 'open'],
      [{ kinds: ['problem'], serviceAreas: ['housing'] }, (d) => d.kind === 'problem' && d.serviceArea === 'housing'],
      [{ regions: ['South East', 'South West'] }, (d) => d.region === 'South East' || d.region === 'South West'],
      [{ councilKinds: ['metropolitan_district'] }, (d) => d.councilKind === 'metropolitan_district'],
      [{ phases: ['live'] }, (d) => d.phase === 'live'],
      [{ outcomes: ['worked'] }, (d) => d.outcome === 'worked'],
      // A phase or outcome filter matches nothing of another kind (problems have neither).
      [{ kinds: ['problem'], phases: ['live'] }, () => false],
      [{ councilKinds: ['county'], outcomes: ['partly_worked', 'worked'] }, (d) => d.councilKind === 'county' && d.outcome !== null],
    ];
    for (const [filter, matches] of cases) {
      const found = await ids('', { filter });
      expect(found.sort(), JSON.stringify(filter)).toEqual(CORPUS.filter(matches).map((d) => d.id).sort());
    }
    expect(await ids('transport', { filter: { kinds: ['solution'] } })).toEqual([IDS.sendRouting]);
  });

  it('counts facet values over all matches', async () => {
    const all = await search('');
    expect(all.total).toBe(CORPUS.length);
    // Far below Meilisearch's maxTotalHits: exact, and the kinds add up to the total.
    expect(all.countsAreEstimates).toBe(false);
    expect(all.facets.kind.reduce((n, f) => n + f.count, 0)).toBe(all.total);
    const count = (facet: keyof typeof all.facets, value: string) => all.facets[facet].find((f) => f.value === value)?.count;
    expect(count('kind', 'problem')).toBe(8);
    expect(count('kind', 'solution')).toBe(3);
    expect(count('kind', 'case_study')).toBe(3);
    expect(count('serviceArea', 'housing')).toBe(3);
    expect(count('councilId', COUNCILS.kent.id)).toBe(5);
    expect(count('tags', 'in-cab')).toBe(2);
    expect(count('status', 'active')).toBe(6);
    expect(count('region', 'South East')).toBe(5);
    expect(count('region', 'South West')).toBe(5);
    expect(count('councilKind', 'metropolitan_district')).toBe(4);
    expect(count('phase', 'live')).toBe(2);
    expect(count('phase', 'beta')).toBe(1);
    expect(count('outcome', 'worked')).toBe(2);
    expect(count('outcome', 'partly_worked')).toBe(1);
    // Only solutions have a phase and only case studies an outcome: no empty value is counted.
    expect(all.facets.phase.reduce((n, f) => n + f.count, 0)).toBe(3);
    expect(all.facets.outcome.reduce((n, f) => n + f.count, 0)).toBe(3);
    const filtered = await search('', { filter: { regions: ['South West'], phases: ['live'] } });
    expect(filtered.facets.region).toEqual([{ value: 'South West', count: 2 }]);
    expect(filtered.facets.phase).toEqual([{ value: 'live', count: 2 }]);
    expect(filtered.facets.outcome).toEqual([]);
    expect(all.facets.kind.map((f) => f.value)).toEqual(['problem', 'case_study', 'solution']); // most first, then by name
    const housing = await search('housing');
    expect(housing.facets.kind.reduce((n, f) => n + f.count, 0)).toBe(housing.total);
    expect(housing.processingTimeMs).toBeGreaterThanOrEqual(0);
    const withoutFacets = await search('housing', { facets: false });
    expect(withoutFacets.total).toBe(housing.total);
    expect(withoutFacets.facets.kind).toEqual([]);
  });

  it('applies synonyms whose phrases hold stop words, in the directions Meilisearch supports', async () => {
    const extra = [
      { ...CORPUS[0]!, id: docId(80), title: 'FOI requests answered late', summary: 'Requests are logged by hand and chased by email.', tags: ['records'] },
      { ...CORPUS[0]!, id: docId(81), title: 'Freedom of information responses published online', summary: 'A disclosure log residents can search.', tags: ['records'] },
      { ...CORPUS[0]!, id: docId(82), title: 'LAC reviews booked by phone', summary: 'Independent reviewing officers chase dates.', tags: ['childrens'] },
      { ...CORPUS[0]!, id: docId(83), title: 'Licensing houses in multiple occupation across the city', summary: 'Inspections booked on paper.', tags: ['landlords'] },
    ];
    await engine.upsert(extra);
    try {
      expect(await ids('freedom of information')).toContain(docId(80)); // long form (three words) → abbreviation
      expect(await ids('foi')).toContain(docId(81)); // abbreviation → long form
      expect(await ids('looked after children')).toContain(docId(82));
      expect(await ids('hmo')).toContain(docId(83)); // abbreviation → a four-word long form
    } finally {
      await engine.delete(extra.map((d) => d.id));
    }
  });

  it('lists the commonest facet values, and still counts a selected value past the cut', async () => {
    // 101 tags on two items each, and one rare tag that sorts first by name.
    const extra = Array.from({ length: 203 }, (_, i) => ({
      ...CORPUS[0]!, id: docId(1_000 + i), title: `Bulk item ${i}`, summary: 'Filler for facet counts.',
      tags: i === 202 ? ['bulk', 'aaa-rare'] : ['bulk', `t${String(Math.floor(i / 2)).padStart(3, '0')}`],
    }));
    await engine.upsert(extra);
    try {
      const result = await search('', { filter: { tags: ['bulk', 'aaa-rare'] }, limit: 1 });
      const tags = result.facets.tags;
      expect(tags[0]).toEqual({ value: 'bulk', count: 203 });
      expect(tags.find((f) => f.value === 'aaa-rare')).toEqual({ value: 'aaa-rare', count: 1 });
      // Every value listed but the selected rare one is at least as common as any value left out.
      expect(tags.filter((f) => f.value !== 'aaa-rare').every((f) => f.count >= 2)).toBe(true);
      expect(result.total).toBe(203);
      expect(result.countsAreEstimates).toBe(false);
    } finally {
      await engine.delete(extra.map((d) => d.id));
    }
  });

  it('finds items with some of the words even when the first word is in none of them', async () => {
    expect(await ids('zzyzxq pothole')).toContain(IDS.potholes);
    expect(await ids('qqxjvw bins')).toContain(IDS.missedBins);
  });

  it('highlights matches as escaped HTML', async () => {
    const [hit] = (await search('repairs requests')).hits;
    expect(hit!.highlights.title).toMatch(/<mark>repairs<\/mark> <mark>requests<\/mark>/i);
    const script = (await search('online forms markup')).hits.find((h) => h.document.id === IDS.scriptTags)!;
    expect(script.highlights.title).toContain('&lt;script&gt;');
    expect(script.highlights.title).toContain('&amp;');
    expect(script.highlights.title).not.toContain('<script>');
    expect(script.highlights.summary).toContain('&quot;<mark>markup</mark>&quot;');
  });

  it('pages through results without repeats or gaps', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < CORPUS.length; offset += 5) seen.push(...await ids('', { offset, limit: 5 }));
    expect(seen).toHaveLength(CORPUS.length);
    expect(new Set(seen).size).toBe(CORPUS.length);
    expect(await ids('', { offset: CORPUS.length, limit: 5 })).toEqual([]);
  });

  it('sorts by newest when asked', async () => {
    const hits = (await search('transport', { sort: 'newest' })).hits.map((h) => h.document.publishedAt!);
    expect(hits.length).toBeGreaterThan(1);
    expect(hits).toEqual([...hits].sort((a, b) => b - a));
  });

  it('filters to items that may be out of date, and forgets the mark when it is cleared', async () => {
    const stale = { ...CORPUS[1]!, id: docId(92), title: 'Parking permits renewed on paper', outOfDate: true };
    await engine.upsert([stale]);
    expect(await ids('', { filter: { mayBeOutOfDate: true } })).toEqual([stale.id]);
    expect(await ids('parking permits', { filter: { mayBeOutOfDate: true } })).toEqual([stale.id]);
    await engine.upsert([{ ...stale, outOfDate: false }]);
    expect(await ids('', { filter: { mayBeOutOfDate: true } })).toEqual([]);
    await engine.delete([stale.id]);
  });

  it('replaces a document on upsert and forgets it on delete', async () => {
    // Words only: "noise complaints" and "nuisance reports" are rightly close in meaning.
    const words = { semanticRatio: 0 };
    const extra = { ...CORPUS[0]!, id: docId(90), title: 'Noise complaints logged on paper', summary: 'Officers type up diary sheets.', tags: ['noise'] };
    await engine.upsert([extra]);
    expect(await ids('noise complaints', words)).toContain(extra.id);
    await engine.upsert([{ ...extra, title: 'Nuisance reports logged on paper', summary: 'Diary sheets typed up by officers.', tags: ['nuisance'] }]);
    expect(await ids('noise complaints', words)).not.toContain(extra.id);
    expect(await ids('nuisance reports', words)).toContain(extra.id);
    await engine.delete([extra.id, docId(91)]);
    expect(await ids('nuisance reports')).not.toContain(extra.id);
    await engine.delete([]);
  });

  it('finds near-duplicates with a score, honouring kinds and exclusions', async () => {
    const text = 'Missed bin reports typed in by hand\nResidents ring the contact centre about missed bins and staff re-key them into the crew system.';
    const similar = await engine.moreLikeThis({ text, limit: 5 });
    expect(similar[0]?.document.id).toBe(IDS.missedBins);
    expect(similar[0]!.score).toBeGreaterThanOrEqual(engine.duplicateThreshold);
    expect(similar[0]!.score).toBeLessThanOrEqual(1);
    const unrelated = await engine.moreLikeThis({ text: 'Sandbag stock levels at depots\nWe count sandbags by hand.', kinds: ['problem'], limit: 5 });
    expect(unrelated.filter((h) => h.score >= engine.duplicateThreshold)).toEqual([]);
    const excluded = await engine.moreLikeThis({ text, excludeIds: [IDS.missedBins], limit: 5 });
    expect(excluded.map((h) => h.document.id)).not.toContain(IDS.missedBins);
    const solutions = await engine.moreLikeThis({ text, kinds: ['solution'], limit: 5 });
    expect(solutions.every((h) => h.document.kind === 'solution')).toBe(true);
    // In other words: no shared key word, still the nearest by meaning.
    const paraphrase = await engine.moreLikeThis({ text: 'Uncollected rubbish complaints\nCallers ring when the lorry skips their street.', kinds: ['problem'], limit: 3 });
    expect(paraphrase.map((h) => h.document.id)).toContain(IDS.missedBins);
  });

  it('rebuilds while the live index keeps answering, then drops what the rebuild left out', async () => {
    const rebuild = await engine.beginRebuild();
    await rebuild.upsert(CORPUS.filter((d) => d.id !== IDS.flooding));
    expect(await ids('sandbag')).toContain(IDS.flooding); // still live during the rebuild
    await rebuild.finish();
    expect(await ids('sandbag')).not.toContain(IDS.flooding);
    expect((await ids('housing repairs'))[0]).toBe(IDS.housingRepairs);
    expect((await search('')).total).toBe(CORPUS.length - 1);
  });
}
