import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { SearchEngine, SearchHit, SearchKind } from '../search/engine.js';
import { COMPARED_KINDS, judgeLikeness, type LikenessVerdict } from '../search/likeness.js';

/** A draft, or an item being published, that the warning compares with what is published. */
export interface WarningSubject {
  readonly kind: SearchKind;
  /** Absent for text not yet saved. */
  readonly id?: string | undefined;
  readonly councilId: string;
  readonly title: string;
  readonly summary: string;
}

export interface PossibleDuplicate extends LikenessVerdict {
  /** For a problem: the published solutions already linked to it (what to look at first). */
  readonly addressedBy: readonly SearchHit['document'][];
}

const CANDIDATES = 8;
const SHOWN = 5;

/**
 * The duplicate warning for every kind: a problem is compared with problems (and shows
 * the solutions that address them), a solution with solutions, a case study with the
 * problems and solutions it is likely about. The text compared is the title and summary,
 * embedded here: the one request-time embedding (everything published was embedded by
 * the indexer).
 */
export function createDuplicateWarning({ db, engine }: { db: Kysely<Database>; engine: SearchEngine }) {
  async function linkedIds(subject: WarningSubject): Promise<Set<string>> {
    if (!subject.id) return new Set();
    if (subject.kind === 'case_study') {
      const [problems, solutions] = await Promise.all([
        db.selectFrom('case_study_problems').select('problem_id as id').where('case_study_id', '=', subject.id).execute(),
        db.selectFrom('case_study_solutions').select('solution_id as id').where('case_study_id', '=', subject.id).execute(),
      ]);
      return new Set([...problems, ...solutions].map((r) => r.id));
    }
    return new Set();
  }

  async function addressing(problemIds: readonly string[]): Promise<Map<string, SearchHit['document'][]>> {
    const byProblem = new Map<string, SearchHit['document'][]>();
    if (problemIds.length === 0) return byProblem;
    const rows = await db.selectFrom('solution_problems as sp')
      .innerJoin('search_documents as d', 'd.id', 'sp.solution_id')
      .select(['sp.problem_id', 'd.id', 'd.kind', 'd.council_id', 'd.council_name', 'd.title', 'd.summary', 'd.service_area', 'd.tags', 'd.status', 'd.region', 'd.council_kind', 'd.phase', 'd.outcome', 'd.published_at', 'd.updated_at'])
      .where('sp.problem_id', 'in', [...problemIds])
      .orderBy('d.published_at', 'desc').execute();
    for (const r of rows) {
      const list = byProblem.get(r.problem_id) ?? [];
      if (list.length >= 3) continue;
      list.push({
        id: r.id, kind: r.kind, councilId: r.council_id, councilName: r.council_name, title: r.title, summary: r.summary,
        serviceArea: r.service_area, tags: r.tags, status: r.status,
        region: r.region ?? '', councilKind: r.council_kind ?? '', phase: r.phase, outcome: r.outcome,
        publishedAt: r.published_at ? new Date(r.published_at).getTime() : null, updatedAt: new Date(r.updated_at).getTime(),
      });
      byProblem.set(r.problem_id, list);
    }
    return byProblem;
  }

  return {
    async check(subject: WarningSubject): Promise<PossibleDuplicate[]> {
      const text = `${subject.title}\n${subject.summary}`;
      const hits = await engine.moreLikeThis({
        text, kinds: COMPARED_KINDS[subject.kind], excludeIds: subject.id ? [subject.id] : undefined, limit: CANDIDATES,
      });
      const verdicts = judgeLikeness(hits, {
        draftKind: subject.kind, draftText: text, councilId: subject.councilId, linkedIds: await linkedIds(subject),
      }).slice(0, SHOWN);
      const solutions = await addressing(verdicts.filter((v) => v.hit.document.kind === 'problem').map((v) => v.hit.document.id));
      return verdicts.map((v) => ({ ...v, addressedBy: solutions.get(v.hit.document.id) ?? [] }));
    },
  };
}

export type DuplicateWarning = ReturnType<typeof createDuplicateWarning>;
