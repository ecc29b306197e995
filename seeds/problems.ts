import type { ServiceAreaCode } from '../server/domain/service-areas.js';
import { PEOPLE_PROBLEMS } from './problems-people.js';
import { PLACE_PROBLEMS } from './problems-place.js';
import { CORPORATE_PROBLEMS } from './problems-corporate.js';

/**
 * A problem a council publishes, in the words of its staff: sample data (see the README).
 * The councils, service areas and legislation are real. An item about a real council states
 * figures only with a `sourceUrl` that says them; otherwise it describes the problem in
 * general terms (test/unit/seed-claims.test.ts).
 */
export interface SeedProblem {
  /** Stable key that solutions, case studies and comments use to refer to this problem. */
  key: string;
  council: string;
  title: string;
  summary: string;
  body: string;
  serviceArea: ServiceAreaCode;
  tags: string[];
  /** A public page that says what this item says; required when it has figures about a real council (test/unit/seed-data.test.ts). */
  sourceUrl?: string;
  /** Where the owning council has got to; problems start `open`. */
  status?: 'exploring' | 'solved';
  supporters?: { council: string; note?: string }[];
}

export const PROBLEMS: SeedProblem[] = [
  {
    key: 'housing-repairs-channels',
    council: 'bristol',
    title: 'Housing repairs requests arrive by phone, email and web with no single view',
    summary: 'Tenants report repairs through three channels and our contact centre re-keys most of them into the housing management system.',
    body: 'Many of our repairs calls are chasers for jobs we already have. We want one online repairs form that writes straight into the repairs system and tells tenants when the operative is booked.',
    serviceArea: 'housing',
    tags: ['housing repairs', 'tenants', 'contact centre'],
    status: 'exploring',
    supporters: [
      { council: 'leeds', note: 'Same here: chasers are a big share of our repairs calls.' },
      { council: 'york' },
      { council: 'cardiff', note: 'A web form that emails a shared inbox still needs someone to re-type it.' },
      { council: 'camden' },
    ],
  },
  {
    key: 'send-transport-routes',
    council: 'kent',
    title: 'SEND home-to-school transport routes are planned by hand every September',
    summary: 'Officers plan thousands of routes in spreadsheets each summer; costs rise every year and families hear about routes late.',
    body: 'We need routing that respects pupil needs (passenger assistants, travel time limits) and lets us re-plan when an EHCP changes mid-year.',
    serviceArea: 'education_send',
    tags: ['send transport', 'ehcp', 'route planning'],
    status: 'exploring',
    supporters: [
      { council: 'hackney' },
      { council: 'essex', note: 'Our SEND transport budget is under the same pressure. Routing is part of it, the taxi market is the rest.' },
      { council: 'surrey' },
      { council: 'lancashire' },
      { council: 'hertfordshire', note: 'We replan a lot of routes between September and Christmas as placements change.' },
    ],
  },
  ...PEOPLE_PROBLEMS,
  ...PLACE_PROBLEMS,
  ...CORPORATE_PROBLEMS,
];
