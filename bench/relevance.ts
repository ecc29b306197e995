import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createTransact } from '../server/db/transact.js';
import { createPostgresEngine } from '../server/search/postgres-engine.js';
import { reindex } from '../server/search/reindex.js';
import { COMPARED_KINDS, DUPLICATE_LINE, judgeLikeness } from '../server/search/likeness.js';
import { keyWords } from '../server/search/query-plan.js';
import { CASE_STUDIES } from '../seeds/case-studies.js';
import { COUNCILS } from '../seeds/councils.js';
import { PROBLEMS } from '../seeds/problems.js';
import { seedIfEmpty } from '../seeds/seed.js';
import { SOLUTIONS } from '../seeds/solutions.js';
import { testEmbedder } from '../test/support/embedder.js';
import { PAIRS, QUERIES } from './relevance-set.js';

/**
 * `npm run bench:relevance`: the seed corpus in an embedded database, searched with the
 * evaluation set in bench/relevance-set.ts by words only, meaning only and the hybrid the
 * hub uses; then the labelled pairs through the duplicate warning.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'cc-relevance-'));
const database = await connectDatabase({});
try {
  const { db } = database;
  await migrateToLatest(db);
  await seedIfEmpty({ db, transact: createTransact(db), dataDir });
  const embedder = await testEmbedder();
  const engine = createPostgresEngine(db, { embedder });
  await reindex({ db, engine });

  // Seed keys → ids, through the titles the seed gave each item.
  const ids = new Map<string, string>();
  for (const [table, items] of [['problems', PROBLEMS], ['solutions', SOLUTIONS], ['case_studies', CASE_STUDIES]] as const) {
    for (const item of items) {
      const row = await db.selectFrom(table as 'problems').select('id').where('title', '=', item.title).executeTakeFirst();
      if (row) ids.set(item.key, row.id);
    }
  }
  const keyOf = new Map([...ids].map(([k, v]) => [v, k]));
  const councilIds = new Map<string, string>();
  for (const c of COUNCILS) {
    const row = await db.selectFrom('councils').select('id').where('slug', '=', c.slug).executeTakeFirst();
    if (row) councilIds.set(c.slug, row.id);
  }

  const modes = { lexical: 0, semantic: 1, hybrid: undefined } as const;
  const table: Record<string, string>[] = [];
  const misses: string[] = [];
  for (const [mode, ratio] of Object.entries(modes)) {
    let recall = 0;
    let reciprocal = 0;
    for (const { query, relevant } of QUERIES) {
      const result = await engine.search({ query, offset: 0, limit: 10, facets: false, semanticRatio: ratio });
      const found = result.hits.map((h) => keyOf.get(h.document.id) ?? '?');
      const top3 = found.slice(0, 3).filter((k) => relevant.includes(k)).length;
      recall += top3 / Math.min(3, relevant.length);
      const first = found.findIndex((k) => relevant.includes(k));
      reciprocal += first < 0 ? 0 : 1 / (first + 1);
      if (first !== 0 || top3 < Math.min(3, relevant.length)) {
        misses.push(`  ${mode.padEnd(8)} "${query}": first relevant at ${first < 0 ? 'none' : first + 1}, ${top3}/${Math.min(3, relevant.length)} in top 3; top: ${found.slice(0, 3).join(', ')}`);
      }
    }
    table.push({ mode, 'recall@3': (recall / QUERIES.length).toFixed(3), MRR: (reciprocal / QUERIES.length).toFixed(3) });
  }

  // Pairs: words only (overlap of key words), meaning only (cosine), and the hub's warning
  // (meaning plus the second signal: the same council's work is related, not a duplicate).
  interface PairScore { pair: (typeof PAIRS)[number]; semantic: number; overlap: number; verdict: string | undefined }
  const pairScores: PairScore[] = [];
  for (const pair of PAIRS) {
    const itemId = ids.get(pair.item);
    if (!itemId) throw new Error(`no seed item ${pair.item}`);
    const hits = await engine.moreLikeThis({ text: pair.draft.text, kinds: COMPARED_KINDS[pair.draft.kind], limit: 5 });
    const hit = hits.find((h) => h.document.id === itemId);
    const verdicts = judgeLikeness(hits, {
      draftKind: pair.draft.kind, draftText: pair.draft.text, councilId: councilIds.get(pair.draft.council),
    });
    const verdict = verdicts.find((v) => v.hit.document.id === itemId);
    const row = await db.selectFrom('search_documents').select(['title', 'summary']).where('id', '=', itemId).executeTakeFirstOrThrow();
    const a = new Set(keyWords(pair.draft.text, 60));
    const b = new Set(keyWords(`${row.title} ${row.summary}`, 60));
    const overlap = [...a].filter((w) => b.has(w)).length / Math.max(1, new Set([...a, ...b]).size);
    pairScores.push({ pair, semantic: hit?.score ?? 0, overlap, verdict: verdict?.likeness });
  }
  const rate = (label: string, flagged: (s: PairScore) => boolean) => {
    const of = pairScores.filter((s) => s.pair.label === label);
    return of.filter(flagged).length / Math.max(1, of.length);
  };
  // The best single lines on each signal alone, for comparison.
  const LEXICAL_LINE = 0.2;
  const SEMANTIC_LINE = 0.65;
  const flaggedBy = {
    lexical: (s: PairScore) => s.overlap >= LEXICAL_LINE,
    semantic: (s: PairScore) => s.semantic >= SEMANTIC_LINE,
    hybrid: (s: PairScore) => s.verdict === 'duplicate' || s.verdict === 'likely_about',
  };
  for (const row of table) {
    const flagged = flaggedBy[row.mode as keyof typeof flaggedBy];
    if (!flagged) continue;
    row['dup recall'] = rate('duplicate', flagged).toFixed(3);
    row['false flags'] = rate('different', flagged).toFixed(3);
    row['related as dup'] = rate('related', flagged).toFixed(3);
  }
  console.log(`${QUERIES.length} queries, ${PAIRS.length} labelled pairs (${PAIRS.filter((p) => p.label === 'duplicate').length} duplicate, ${PAIRS.filter((p) => p.label === 'related').length} related, ${PAIRS.filter((p) => p.label === 'different').length} different) over ${ids.size} seed items`);
  console.table(table);
  console.log(`duplicate lines: hybrid likeness ${DUPLICATE_LINE}, meaning only ${SEMANTIC_LINE}, words only ${LEXICAL_LINE}; related shown as related: ${rate('related', (s) => s.verdict === 'related').toFixed(3)}`);
  if (process.argv.includes('--verbose')) {
    console.log('queries whose first result is not relevant or whose top 3 miss relevant items:\n' + misses.join('\n'));
    for (const s of pairScores) console.log(`  ${s.pair.label.padEnd(9)} ${s.semantic.toFixed(3)} ${s.overlap.toFixed(3)} ${s.verdict ?? '-'}  ${s.pair.item}`);
  }
} finally {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
