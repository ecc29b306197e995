import type { CouncilKind } from '../server/domain/councils.js';

export interface SeedCouncil {
  slug: string;
  name: string;
  kind: CouncilKind;
  region: string;
  gssCode: string;
  website: string;
}

export const COUNCILS: SeedCouncil[] = [
  { slug: 'bristol', name: 'Bristol City Council', kind: 'unitary', region: 'South West', gssCode: 'E06000023', website: 'https://www.bristol.gov.uk' },
  { slug: 'leeds', name: 'Leeds City Council', kind: 'metropolitan_district', region: 'Yorkshire and the Humber', gssCode: 'E08000035', website: 'https://www.leeds.gov.uk' },
  { slug: 'kent', name: 'Kent County Council', kind: 'county', region: 'South East', gssCode: 'E10000016', website: 'https://www.kent.gov.uk' },
  { slug: 'hackney', name: 'London Borough of Hackney', kind: 'london_borough', region: 'London', gssCode: 'E09000012', website: 'https://hackney.gov.uk' },
];
