import type { ServiceAreaCode } from '../server/domain/service-areas.js';

export interface SeedProblem {
  council: string;
  title: string;
  summary: string;
  body: string;
  serviceArea: ServiceAreaCode;
  tags: string[];
  supporters?: { council: string; note?: string }[];
}

export const PROBLEMS: SeedProblem[] = [
  {
    council: 'bristol',
    title: 'Housing repairs requests arrive by phone, email and web with no single view',
    summary: 'Tenants report repairs through three channels and our contact centre re-keys most of them into the housing management system.',
    body: 'Around 40% of repairs calls are chasers for jobs we already have. We want one online repairs form that writes straight into the repairs system and tells tenants when the operative is booked.',
    serviceArea: 'housing',
    tags: ['housing repairs', 'tenants', 'contact centre'],
    supporters: [{ council: 'leeds', note: 'Same here: chasers are a third of our repairs calls.' }],
  },
  {
    council: 'kent',
    title: 'SEND home-to-school transport routes are planned by hand every September',
    summary: 'Officers plan over 5,000 routes in spreadsheets each summer; costs rise every year and families hear about routes late.',
    body: 'We need routing that respects pupil needs (passenger assistants, travel time limits) and lets us re-plan when an EHCP changes mid-year.',
    serviceArea: 'education_send',
    tags: ['send transport', 'ehcp', 'route planning'],
    supporters: [{ council: 'hackney' }],
  },
];
