import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/db/database.js';
import type { SearchKind } from '../../server/search/engine.js';

/**
 * A generated corpus of council content for relevance tests and the search benchmark:
 * deterministic (seeded), spread over every service area, and full of near misses for the
 * relevance queries (housing allocations, pothole repairs, adult transport, litter bins).
 */

export interface CorpusItem {
  kind: SearchKind;
  title: string;
  summary: string;
  body: string;
  serviceArea: string;
  tags: string[];
}

const AREAS: Record<string, { subjects: string[]; tags: string[] }> = {
  housing: { subjects: ['Housing allocations', 'Housing register reviews', 'Temporary accommodation placements', 'Tenancy sign-ups', 'Right to buy applications', 'Homelessness prevention cases', 'Void property inspections', 'Rent arrears letters'], tags: ['tenants', 'housing register', 'homelessness'] },
  highways_transport: { subjects: ['Pothole repairs', 'Street light repairs', 'Blue badge renewals', 'Parking permit applications', 'Road closure notices', 'Bus pass applications', 'Dropped kerb requests', 'Winter gritting routes'], tags: ['highways', 'parking', 'potholes'] },
  education_send: { subjects: ['School admissions appeals', 'Free school meals applications', 'Mainstream school transport requests', 'Elective home education visits', 'School place planning', 'Attendance monitoring'], tags: ['schools', 'admissions', 'attendance'] },
  adult_social_care: { subjects: ['Day centre transport bookings', 'Care home placements', 'Financial assessments for care', 'Carers assessments', 'Direct payments reviews', 'Hospital discharge referrals'], tags: ['adult social care', 'carers', 'care homes'] },
  waste: { subjects: ['Garden waste subscriptions', 'Bulky waste bookings', 'Litter bin emptying in parks', 'Bin collection calendars', 'Assisted collection requests', 'Recycling contamination notices', 'Household waste site bookings'], tags: ['recycling', 'garden waste', 'litter'] },
  revenues_benefits: { subjects: ['Council tax reminders', 'Housing benefit claims', 'Business rates relief applications', 'Council tax single person discount reviews', 'Discretionary housing payment requests'], tags: ['council tax', 'benefits', 'business rates'] },
  planning: { subjects: ['Planning application validation', 'Building control inspections', 'Tree preservation order queries', 'Pre-application advice requests', 'Enforcement complaints'], tags: ['planning', 'building control'] },
  licensing_protection: { subjects: ['Taxi licence renewals', 'Food hygiene inspections', 'Noise complaints', 'Premises licence variations', 'Pest control bookings'], tags: ['licensing', 'environmental health'] },
  corporate: { subjects: ['Freedom of information requests', 'Complaints handling', 'Staff onboarding', 'Cyber security training', 'Website content reviews', 'Contact centre call routing'], tags: ['digital', 'customer service', 'data'] },
  community_voluntary: { subjects: ['Community grant applications', 'Volunteer recruitment', 'Warm space listings', 'Community asset transfers'], tags: ['voluntary sector', 'grants'] },
  public_health: { subjects: ['Stop smoking referrals', 'Health visitor caseloads', 'Sexual health clinic bookings'], tags: ['public health'] },
  environment_climate: { subjects: ['Flood warning alerts', 'Tree planting requests', 'Electric vehicle charger requests', 'Air quality monitoring'], tags: ['climate', 'flooding'] },
};

const PROBLEMS = [
  'are re-keyed from paper forms', 'arrive by email and phone with no single view', 'are tracked in spreadsheets',
  'take weeks to process', 'generate repeat calls to the contact centre', 'need data from three systems',
  'are chased by residents because nobody updates them', 'depend on one officer who knows the process',
  'are sent by post and often lost', 'cannot be paid for online',
];
const SOLUTIONS = ['online form with automatic case creation', 'shared case management platform', 'text message updates', 'low-code workflow', 'open source booking tool', 'single customer record'];
const OUTCOMES = ['halved processing time', 'cut repeat calls by a third', 'saved two full-time posts', 'removed paper forms entirely', 'improved resident satisfaction'];
const FILLER = ['Officers', 'Residents', 'Managers', 'Partners', 'Councillors'];
// Varied, as real summaries are: a corpus where every item says "online" makes every query
// that contains it match everything.
const SUMMARIES = [
  (who: string, what: string, problem: string) => `${who} say ${what} ${problem}.`,
  (who: string, what: string) => `${who} spend hours each week on ${what}; we want to stop re-keying.`,
  (_: string, what: string) => `We are sending updates on ${what} by letter and residents ring to check them.`,
  (who: string, what: string) => `${who} cannot see the status of ${what} without phoning us.`,
  (_: string, what: string, problem: string) => `Since the restructure, ${what} ${problem}, and backlogs grow every winter.`,
  (who: string, what: string) => `${who} asked for ${what} to move online, but the back office is still paper based.`,
];

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCorpus(count: number, seed = 1): CorpusItem[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const areas = Object.keys(AREAS);
  const items: CorpusItem[] = [];
  for (let i = 0; i < count; i++) {
    const serviceArea = pick(areas);
    const { subjects, tags } = AREAS[serviceArea]!;
    const subject = pick(subjects);
    const roll = random();
    const kind: SearchKind = roll < 0.6 ? 'problem' : roll < 0.8 ? 'solution' : 'case_study';
    const problem = pick(PROBLEMS);
    const title = kind === 'problem' ? `${subject} ${problem}`
      : kind === 'solution' ? `${capitalise(pick(SOLUTIONS))} for ${subject.toLowerCase()}`
        : `How a council ${pick(OUTCOMES)} on ${subject.toLowerCase()}`;
    items.push({
      kind, title, serviceArea,
      summary: `${pick(SUMMARIES)(pick(FILLER), subject.toLowerCase(), problem)} (ref ${i})`,
      body: `${subject} is a ${pick(['growing', 'long-standing', 'seasonal'])} pressure. ${pick(FILLER)} told us that it ${pick(PROBLEMS)}. `
        + `We looked at a ${pick(SOLUTIONS)} and expect it to have ${pick(OUTCOMES)}.`,
      tags: [pick(tags), ...(random() < 0.5 ? [pick(tags)] : [])].filter((t, j, all) => all.indexOf(t) === j),
    });
  }
  return items;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const TABLES = { problem: 'problems', solution: 'solutions', case_study: 'case_studies' } as const;

/**
 * Inserts items as published content straight into the tables, bypassing the services
 * and the outbox: for volumes the benchmark needs. Index them with `reindex`.
 */
export async function insertCorpus(db: Kysely<Database>, items: readonly CorpusItem[], authors: readonly { councilId: string; memberId: string }[]): Promise<void> {
  const chunk = 1_000;
  for (let start = 0; start < items.length; start += chunk) {
    const slice = items.slice(start, start + chunk).map((item, i) => ({ item, author: authors[(start + i) % authors.length]! }));
    for (const kind of Object.keys(TABLES) as SearchKind[]) {
      const rows = slice.filter(({ item }) => item.kind === kind).map(({ item, author }) => ({
        council_id: author.councilId, author_id: author.memberId, title: item.title, summary: item.summary, body: item.body,
        service_area: item.serviceArea, tags: item.tags, visibility: 'published' as const, published_at: new Date(),
        ...(kind === 'solution' ? { kind: 'service', phase: 'live' } : {}),
        ...(kind === 'case_study' ? { outcome: 'worked', lessons: 'Went live across the council.' } : {}),
      }));
      if (rows.length === 0) continue;
      await db.insertInto(TABLES[kind] as 'problems').values(rows as never).execute();
    }
  }
  await sql`analyze`.execute(db);
}
