import type { CouncilKind } from '../server/domain/councils.js';

export interface SeedCouncil {
  slug: string;
  name: string;
  kind: CouncilKind;
  region: string;
  /** ONS GSS code; null only for a fictional council. */
  gssCode: string | null;
  /** Null only for a fictional council: no invented addresses. */
  website: string | null;
  /** A made-up council, named "(fictional)", that owns the sample items no public source backs. */
  fictional?: true;
}

// GSS codes are the ONS codes in force since the 2023 reorganisations (North Yorkshire and
// Somerset became unitary; Fife, Perth and Kinross and Glasgow took new S12 codes in 2018).
// Scottish and Welsh councils are unitary authorities; the eleven Northern Ireland councils
// are district councils. The City of London and the Isles of Scilly are sui generis: "other".
const c = (slug: string, name: string, kind: CouncilKind, region: string, gssCode: string, website: string): SeedCouncil =>
  ({ slug, name, kind, region, gssCode, website });

export const COUNCILS: SeedCouncil[] = [
  c('bristol', 'Bristol City Council', 'unitary', 'South West', 'E06000023', 'https://www.bristol.gov.uk'),
  c('leeds', 'Leeds City Council', 'metropolitan_district', 'Yorkshire and the Humber', 'E08000035', 'https://www.leeds.gov.uk'),
  c('kent', 'Kent County Council', 'county', 'South East', 'E10000016', 'https://www.kent.gov.uk'),
  c('hackney', 'London Borough of Hackney', 'london_borough', 'London', 'E09000012', 'https://hackney.gov.uk'),

  // Counties
  c('essex', 'Essex County Council', 'county', 'East of England', 'E10000012', 'https://www.essex.gov.uk'),
  c('hertfordshire', 'Hertfordshire County Council', 'county', 'East of England', 'E10000015', 'https://www.hertfordshire.gov.uk'),
  c('lancashire', 'Lancashire County Council', 'county', 'North West', 'E10000017', 'https://www.lancashire.gov.uk'),
  c('devon', 'Devon County Council', 'county', 'South West', 'E10000008', 'https://www.devon.gov.uk'),
  c('surrey', 'Surrey County Council', 'county', 'South East', 'E10000030', 'https://www.surreycc.gov.uk'),
  c('norfolk', 'Norfolk County Council', 'county', 'East of England', 'E10000020', 'https://www.norfolk.gov.uk'),
  c('suffolk', 'Suffolk County Council', 'county', 'East of England', 'E10000029', 'https://www.suffolk.gov.uk'),
  c('nottinghamshire', 'Nottinghamshire County Council', 'county', 'East Midlands', 'E10000024', 'https://www.nottinghamshire.gov.uk'),
  c('derbyshire', 'Derbyshire County Council', 'county', 'East Midlands', 'E10000007', 'https://www.derbyshire.gov.uk'),
  c('hampshire', 'Hampshire County Council', 'county', 'South East', 'E10000014', 'https://www.hants.gov.uk'),
  c('oxfordshire', 'Oxfordshire County Council', 'county', 'South East', 'E10000025', 'https://www.oxfordshire.gov.uk'),
  c('cambridgeshire', 'Cambridgeshire County Council', 'county', 'East of England', 'E10000003', 'https://www.cambridgeshire.gov.uk'),
  c('staffordshire', 'Staffordshire County Council', 'county', 'West Midlands', 'E10000028', 'https://www.staffordshire.gov.uk'),
  c('lincolnshire', 'Lincolnshire County Council', 'county', 'East Midlands', 'E10000019', 'https://www.lincolnshire.gov.uk'),

  // Districts
  c('cambridge', 'Cambridge City Council', 'district', 'East of England', 'E07000008', 'https://www.cambridge.gov.uk'),
  c('south-cambridgeshire', 'South Cambridgeshire District Council', 'district', 'East of England', 'E07000012', 'https://www.scambs.gov.uk'),
  c('oxford', 'Oxford City Council', 'district', 'South East', 'E07000178', 'https://www.oxford.gov.uk'),
  c('arun', 'Arun District Council', 'district', 'South East', 'E07000224', 'https://www.arun.gov.uk'),
  c('gloucester', 'Gloucester City Council', 'district', 'South West', 'E07000081', 'https://www.gloucester.gov.uk'),
  c('canterbury', 'Canterbury City Council', 'district', 'South East', 'E07000106', 'https://www.canterbury.gov.uk'),
  c('maidstone', 'Maidstone Borough Council', 'district', 'South East', 'E07000110', 'https://maidstone.gov.uk'),
  c('guildford', 'Guildford Borough Council', 'district', 'South East', 'E07000209', 'https://www.guildford.gov.uk'),
  c('winchester', 'Winchester City Council', 'district', 'South East', 'E07000094', 'https://www.winchester.gov.uk'),
  c('exeter', 'Exeter City Council', 'district', 'South West', 'E07000041', 'https://exeter.gov.uk'),
  c('stroud', 'Stroud District Council', 'district', 'South West', 'E07000082', 'https://www.stroud.gov.uk'),
  c('cheltenham', 'Cheltenham Borough Council', 'district', 'South West', 'E07000078', 'https://www.cheltenham.gov.uk'),
  c('norwich', 'Norwich City Council', 'district', 'East of England', 'E07000148', 'https://www.norwich.gov.uk'),
  c('ipswich', 'Ipswich Borough Council', 'district', 'East of England', 'E07000202', 'https://www.ipswich.gov.uk'),
  c('colchester', 'Colchester City Council', 'district', 'East of England', 'E07000071', 'https://www.colchester.gov.uk'),
  c('lancaster', 'Lancaster City Council', 'district', 'North West', 'E07000121', 'https://www.lancaster.gov.uk'),
  c('preston', 'Preston City Council', 'district', 'North West', 'E07000123', 'https://www.preston.gov.uk'),
  c('lincoln', 'City of Lincoln Council', 'district', 'East Midlands', 'E07000138', 'https://www.lincoln.gov.uk'),
  c('breckland', 'Breckland District Council', 'district', 'East of England', 'E07000143', 'https://www.breckland.gov.uk'),
  c('welwyn-hatfield', 'Welwyn Hatfield Borough Council', 'district', 'East of England', 'E07000241', 'https://www.welhat.gov.uk'),

  // Unitary authorities in England
  c('cornwall', 'Cornwall Council', 'unitary', 'South West', 'E06000052', 'https://www.cornwall.gov.uk'),
  c('wiltshire', 'Wiltshire Council', 'unitary', 'South West', 'E06000054', 'https://www.wiltshire.gov.uk'),
  c('somerset', 'Somerset Council', 'unitary', 'South West', 'E06000066', 'https://www.somerset.gov.uk'),
  c('plymouth', 'Plymouth City Council', 'unitary', 'South West', 'E06000026', 'https://www.plymouth.gov.uk'),
  c('buckinghamshire', 'Buckinghamshire Council', 'unitary', 'South East', 'E06000060', 'https://www.buckinghamshire.gov.uk'),
  c('medway', 'Medway Council', 'unitary', 'South East', 'E06000035', 'https://www.medway.gov.uk'),
  c('brighton-and-hove', 'Brighton & Hove City Council', 'unitary', 'South East', 'E06000043', 'https://www.brighton-hove.gov.uk'),
  c('milton-keynes', 'Milton Keynes City Council', 'unitary', 'South East', 'E06000042', 'https://www.milton-keynes.gov.uk'),
  c('southampton', 'Southampton City Council', 'unitary', 'South East', 'E06000045', 'https://www.southampton.gov.uk'),
  c('peterborough', 'Peterborough City Council', 'unitary', 'East of England', 'E06000031', 'https://www.peterborough.gov.uk'),
  c('leicester', 'Leicester City Council', 'unitary', 'East Midlands', 'E06000016', 'https://www.leicester.gov.uk'),
  c('nottingham', 'Nottingham City Council', 'unitary', 'East Midlands', 'E06000018', 'https://www.nottinghamcity.gov.uk'),
  c('derby', 'Derby City Council', 'unitary', 'East Midlands', 'E06000015', 'https://www.derby.gov.uk'),
  c('shropshire', 'Shropshire Council', 'unitary', 'West Midlands', 'E06000051', 'https://www.shropshire.gov.uk'),
  c('herefordshire', 'Herefordshire Council', 'unitary', 'West Midlands', 'E06000019', 'https://www.herefordshire.gov.uk'),
  c('stoke-on-trent', 'Stoke-on-Trent City Council', 'unitary', 'West Midlands', 'E06000021', 'https://www.stoke.gov.uk'),
  c('cheshire-east', 'Cheshire East Council', 'unitary', 'North West', 'E06000049', 'https://www.cheshireeast.gov.uk'),
  c('hull', 'Hull City Council', 'unitary', 'Yorkshire and the Humber', 'E06000010', 'https://www.hull.gov.uk'),
  c('york', 'City of York Council', 'unitary', 'Yorkshire and the Humber', 'E06000014', 'https://www.york.gov.uk'),
  c('north-yorkshire', 'North Yorkshire Council', 'unitary', 'Yorkshire and the Humber', 'E06000065', 'https://www.northyorks.gov.uk'),
  c('durham', 'Durham County Council', 'unitary', 'North East', 'E06000047', 'https://www.durham.gov.uk'),
  c('northumberland', 'Northumberland County Council', 'unitary', 'North East', 'E06000057', 'https://www.northumberland.gov.uk'),

  // Metropolitan districts
  c('manchester', 'Manchester City Council', 'metropolitan_district', 'North West', 'E08000003', 'https://www.manchester.gov.uk'),
  c('stockport', 'Stockport Metropolitan Borough Council', 'metropolitan_district', 'North West', 'E08000007', 'https://www.stockport.gov.uk'),
  c('wigan', 'Wigan Council', 'metropolitan_district', 'North West', 'E08000010', 'https://www.wigan.gov.uk'),
  c('liverpool', 'Liverpool City Council', 'metropolitan_district', 'North West', 'E08000012', 'https://liverpool.gov.uk'),
  c('sheffield', 'Sheffield City Council', 'metropolitan_district', 'Yorkshire and the Humber', 'E08000019', 'https://www.sheffield.gov.uk'),
  c('bradford', 'City of Bradford Metropolitan District Council', 'metropolitan_district', 'Yorkshire and the Humber', 'E08000032', 'https://www.bradford.gov.uk'),
  c('kirklees', 'Kirklees Council', 'metropolitan_district', 'Yorkshire and the Humber', 'E08000034', 'https://www.kirklees.gov.uk'),
  c('newcastle', 'Newcastle City Council', 'metropolitan_district', 'North East', 'E08000021', 'https://www.newcastle.gov.uk'),
  c('sunderland', 'Sunderland City Council', 'metropolitan_district', 'North East', 'E08000024', 'https://www.sunderland.gov.uk'),
  c('gateshead', 'Gateshead Council', 'metropolitan_district', 'North East', 'E08000037', 'https://www.gateshead.gov.uk'),
  c('birmingham', 'Birmingham City Council', 'metropolitan_district', 'West Midlands', 'E08000025', 'https://www.birmingham.gov.uk'),
  c('coventry', 'Coventry City Council', 'metropolitan_district', 'West Midlands', 'E08000026', 'https://www.coventry.gov.uk'),

  // London boroughs
  c('harrow', 'London Borough of Harrow', 'london_borough', 'London', 'E09000015', 'https://www.harrow.gov.uk'),
  c('camden', 'London Borough of Camden', 'london_borough', 'London', 'E09000007', 'https://www.camden.gov.uk'),
  c('islington', 'London Borough of Islington', 'london_borough', 'London', 'E09000019', 'https://www.islington.gov.uk'),
  c('lambeth', 'London Borough of Lambeth', 'london_borough', 'London', 'E09000022', 'https://www.lambeth.gov.uk'),
  c('southwark', 'London Borough of Southwark', 'london_borough', 'London', 'E09000028', 'https://www.southwark.gov.uk'),
  c('tower-hamlets', 'London Borough of Tower Hamlets', 'london_borough', 'London', 'E09000030', 'https://www.towerhamlets.gov.uk'),
  c('newham', 'London Borough of Newham', 'london_borough', 'London', 'E09000025', 'https://www.newham.gov.uk'),
  c('waltham-forest', 'London Borough of Waltham Forest', 'london_borough', 'London', 'E09000031', 'https://www.walthamforest.gov.uk'),
  c('croydon', 'London Borough of Croydon', 'london_borough', 'London', 'E09000008', 'https://www.croydon.gov.uk'),
  c('barnet', 'London Borough of Barnet', 'london_borough', 'London', 'E09000003', 'https://www.barnet.gov.uk'),
  c('greenwich', 'Royal Borough of Greenwich', 'london_borough', 'London', 'E09000011', 'https://www.royalgreenwich.gov.uk'),
  c('westminster', 'Westminster City Council', 'london_borough', 'London', 'E09000033', 'https://www.westminster.gov.uk'),

  // Combined authorities
  c('greater-manchester-ca', 'Greater Manchester Combined Authority', 'combined_authority', 'North West', 'E47000001', 'https://www.greatermanchester-ca.gov.uk'),
  c('west-yorkshire-ca', 'West Yorkshire Combined Authority', 'combined_authority', 'Yorkshire and the Humber', 'E47000003', 'https://www.westyorks-ca.gov.uk'),
  c('liverpool-city-region-ca', 'Liverpool City Region Combined Authority', 'combined_authority', 'North West', 'E47000004', 'https://www.liverpoolcityregion-ca.gov.uk'),
  c('west-midlands-ca', 'West Midlands Combined Authority', 'combined_authority', 'West Midlands', 'E47000007', 'https://www.wmca.org.uk'),

  // Sui generis
  c('city-of-london', 'City of London Corporation', 'other', 'London', 'E09000001', 'https://www.cityoflondon.gov.uk'),
  c('isles-of-scilly', 'Council of the Isles of Scilly', 'other', 'South West', 'E06000053', 'https://www.scilly.gov.uk'),

  // Scotland
  c('glasgow', 'Glasgow City Council', 'unitary', 'Scotland', 'S12000049', 'https://www.glasgow.gov.uk'),
  c('edinburgh', 'The City of Edinburgh Council', 'unitary', 'Scotland', 'S12000036', 'https://www.edinburgh.gov.uk'),
  c('aberdeen', 'Aberdeen City Council', 'unitary', 'Scotland', 'S12000033', 'https://www.aberdeencity.gov.uk'),
  c('aberdeenshire', 'Aberdeenshire Council', 'unitary', 'Scotland', 'S12000034', 'https://www.aberdeenshire.gov.uk'),
  c('dundee', 'Dundee City Council', 'unitary', 'Scotland', 'S12000042', 'https://www.dundeecity.gov.uk'),
  c('highland', 'The Highland Council', 'unitary', 'Scotland', 'S12000017', 'https://www.highland.gov.uk'),
  c('fife', 'Fife Council', 'unitary', 'Scotland', 'S12000047', 'https://www.fife.gov.uk'),
  c('perth-and-kinross', 'Perth & Kinross Council', 'unitary', 'Scotland', 'S12000048', 'https://www.pkc.gov.uk'),
  c('scottish-borders', 'Scottish Borders Council', 'unitary', 'Scotland', 'S12000026', 'https://www.scotborders.gov.uk'),

  // Wales
  c('cardiff', 'Cardiff Council', 'unitary', 'Wales', 'W06000015', 'https://www.cardiff.gov.uk'),
  c('swansea', 'Swansea Council', 'unitary', 'Wales', 'W06000011', 'https://www.swansea.gov.uk'),
  c('newport', 'Newport City Council', 'unitary', 'Wales', 'W06000022', 'https://www.newport.gov.uk'),
  c('gwynedd', 'Cyngor Gwynedd', 'unitary', 'Wales', 'W06000002', 'https://www.gwynedd.llyw.cymru'),
  c('powys', 'Powys County Council', 'unitary', 'Wales', 'W06000023', 'https://www.powys.gov.uk'),
  c('monmouthshire', 'Monmouthshire County Council', 'unitary', 'Wales', 'W06000021', 'https://www.monmouthshire.gov.uk'),
  c('rhondda-cynon-taf', 'Rhondda Cynon Taf County Borough Council', 'unitary', 'Wales', 'W06000016', 'https://www.rctcbc.gov.uk'),
  c('wrexham', 'Wrexham County Borough Council', 'unitary', 'Wales', 'W06000006', 'https://www.wrexham.gov.uk'),

  // Northern Ireland
  c('belfast', 'Belfast City Council', 'district', 'Northern Ireland', 'N09000003', 'https://www.belfastcity.gov.uk'),
  c('derry-and-strabane', 'Derry City and Strabane District Council', 'district', 'Northern Ireland', 'N09000005', 'https://www.derrystrabane.com'),
  c('armagh-banbridge-craigavon', 'Armagh City, Banbridge and Craigavon Borough Council', 'district', 'Northern Ireland', 'N09000002', 'https://www.armaghbanbridgecraigavon.gov.uk'),
  c('ards-and-north-down', 'Ards and North Down Borough Council', 'district', 'Northern Ireland', 'N09000011', 'https://www.ardsandnorthdown.gov.uk'),
  c('newry-mourne-and-down', 'Newry, Mourne and Down District Council', 'district', 'Northern Ireland', 'N09000010', 'https://www.newrymournedown.org'),

  // Fictional councils: they own the sample items that show how councils might use the hub
  // but that no public source backs, so no real council is credited with them.
  fictional('exampleshire', 'Exampleshire County Council (fictional)', 'county', 'South West'),
  fictional('sampleton', 'Sampleton District Council (fictional)', 'district', 'East Midlands'),
  fictional('demoford', 'Demoford City Council (fictional)', 'unitary', 'North West'),
  fictional('sir-enghraifft', 'Cyngor Sir Enghraifft / Enghraifft County Council (fictional)', 'unitary', 'Wales'),
];

function fictional(slug: string, name: string, kind: CouncilKind, region: string): SeedCouncil {
  return { slug, name, kind, region, gssCode: null, website: null, fictional: true };
}

export const FICTIONAL_COUNCILS: ReadonlySet<string> = new Set(COUNCILS.filter((c) => c.fictional).map((c) => c.slug));
