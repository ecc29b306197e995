import type { SearchDocument } from '../../server/search/engine.js';

/** The fixed corpus every SearchEngine adapter is checked against. */

export const COUNCILS = {
  bristol: { id: 'c0000000-0000-4000-8000-000000000001', name: 'Bristol City Council', region: 'South West', kind: 'unitary' },
  leeds: { id: 'c0000000-0000-4000-8000-000000000002', name: 'Leeds City Council', region: 'Yorkshire and the Humber', kind: 'metropolitan_district' },
  kent: { id: 'c0000000-0000-4000-8000-000000000003', name: 'Kent County Council', region: 'South East', kind: 'county' },
} as const;

export const docId = (n: number) => `d0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

type Council = keyof typeof COUNCILS;

/** Each solution's phase and each case study's outcome, by document number. */
const PHASES: Record<number, string> = { 4: 'beta', 8: 'live', 13: 'live' };
const OUTCOMES: Record<number, string> = { 5: 'worked', 9: 'partly_worked', 14: 'worked' };

function doc(n: number, council: Council, kind: SearchDocument['kind'], serviceArea: string, status: string, tags: string[], title: string, summary: string, body = ''): SearchDocument {
  return {
    id: docId(n), kind, councilId: COUNCILS[council].id, councilName: COUNCILS[council].name, title, summary, body,
    serviceArea, tags, status, region: COUNCILS[council].region, councilKind: COUNCILS[council].kind,
    phase: PHASES[n] ?? null, outcome: OUTCOMES[n] ?? null, publishedAt: Date.UTC(2024, 0, 1) + n * 86_400_000, updatedAt: Date.UTC(2024, 6, 1),
  };
}

export const IDS = {
  housingRepairs: docId(1), sendTransport: docId(2), missedBins: docId(3), sendRouting: docId(4), councilTax: docId(5),
  potholes: docId(6), allocations: docId(7), refuseApp: docId(8), ehcp: docId(9), ascTransport: docId(10), scriptTags: docId(11),
  hmo: docId(12), dfg: docId(13), flooding: docId(14),
};

export const CORPUS: SearchDocument[] = [
  doc(1, 'bristol', 'problem', 'housing', 'open', ['housing repairs', 'tenants'],
    'Housing repairs requests arrive by phone, email and web with no single view',
    'Tenants report repairs through three channels and our contact centre re-keys most of them.',
    'Around 40% of calls are chasers for jobs we already have.'),
  doc(2, 'kent', 'problem', 'education_send', 'open', ['send transport', 'ehcp'],
    'SEND home-to-school transport routes are planned by hand every September',
    'Officers plan over 5,000 routes in spreadsheets each summer; families hear about routes late.'),
  doc(3, 'leeds', 'problem', 'waste', 'exploring', ['missed bins', 'in-cab'],
    'Missed bin reports are re-keyed by the contact centre',
    'Residents phone in missed collections and we type them into the crew system by hand.'),
  doc(4, 'kent', 'solution', 'education_send', 'active', ['route planning'],
    'Route optimisation for special educational needs travel',
    'Dynamic routing for pupils with special educational needs, with passenger assistants and travel time limits on home to school transport.'),
  doc(5, 'leeds', 'case_study', 'revenues_benefits', 'active', ['council tax', 'direct debit'],
    'Moving council tax direct debit sign-ups online',
    'Residents set up their direct debit themselves; paper mandates fell by 80% in a year.'),
  doc(6, 'kent', 'problem', 'highways_transport', 'open', ['potholes'],
    'Pothole repairs are reported twice and fixed once',
    'Duplicate pothole reports from residents and inspectors clog the highways works queue.'),
  doc(7, 'bristol', 'problem', 'housing', 'solved', ['allocations'],
    'Housing allocations letters confuse applicants',
    'Applicants on the housing register misread their banding letters and call us to ask what they mean.'),
  doc(8, 'bristol', 'solution', 'waste', 'active', ['waste collection', 'in-cab'],
    'In-cab app for refuse collection crews',
    'Crews see reported problems on their round and close them from the cab, with photos.'),
  doc(9, 'kent', 'case_study', 'education_send', 'active', ['ehcp'],
    'Cutting EHCP drafting time by half',
    'Caseworkers draft plans from structured advice instead of copying from reports.'),
  doc(10, 'leeds', 'problem', 'adult_social_care', 'open', ['transport', 'day services'],
    'Day centre transport for adult social care clients is booked by phone',
    'Drivers and day centres each keep their own lists, so changes get missed.'),
  doc(11, 'bristol', 'problem', 'corporate', 'open', ['security'],
    'Online forms accept <script> tags & other markup in free text',
    'Staff see raw "markup" in case notes copied from web forms.'),
  doc(12, 'leeds', 'problem', 'licensing_protection', 'open', ['hmo', 'licensing'],
    'HMO licence renewals are chased by letter',
    'Landlords miss renewal dates because reminders go by post to old addresses.'),
  doc(13, 'bristol', 'solution', 'housing', 'active', ['dfg', 'adaptations'],
    'Faster disabled facilities grant adaptations with a trusted assessor',
    'Occupational therapy assessments booked online cut waiting times for stairlifts and level-access showers.'),
  doc(14, 'kent', 'case_study', 'environment_climate', 'active', ['flooding'],
    'Sandbag requests during floods handled through one online form',
    'A single form routed requests to depots and cut phone queues during storms.'),
];
