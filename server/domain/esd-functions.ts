/**
 * The LGA / LG Inform Plus (formerly esd-toolkit) Functions list of the Local Government
 * Business Model: https://standards.esd.org.uk/?uri=list%2Ffunctions, published under the
 * Open Government Licence and to be attributed to the LG Inform Plus (esd-toolkit)
 * programme. Each item's URI is http://id.esd.org.uk/function/{identifier}.
 *
 * Identifiers and labels are copied from the list's CSV download (items created 2013-04-03)
 * and only those are used here; a service area with no clear match has none (payments and
 * income: the list has no function for taking payments). The mapping itself is ours.
 */
export interface EsdFunction {
  /** The list's identifier, e.g. `59`. */
  readonly id: string;
  /** Its label in the list, e.g. `Adult services`. */
  readonly label: string;
  /** Its linked-data URI, e.g. `http://id.esd.org.uk/function/59`. */
  readonly uri: string;
}

/** The list this module cites: where a reader can check every identifier. */
export const ESD_FUNCTIONS_LIST = 'https://standards.esd.org.uk/?uri=list%2Ffunctions';

const fn = (id: number, label: string): EsdFunction => ({ id: String(id), label, uri: `http://id.esd.org.uk/function/${id}` });

/** Each service area's matching functions, most specific first. */
export const ESD_FUNCTIONS_OF = {
  adult_social_care: [fn(59, 'Adult services'), fn(61, 'Carers'), fn(60, 'Care homes, supported and sheltered housing')],
  childrens_social_care: [fn(63, 'Children and family care'), fn(25, 'Early years and childcare')],
  education_send: [fn(29, 'Special education needs'), fn(28, 'Schools'), fn(26, 'Educational support'), fn(23, 'Education and learning')],
  housing: [fn(67, 'Council and community housing'), fn(68, 'Homelessness and prevention'), fn(69, 'Housing advice'), fn(70, 'Improvements and repairs'), fn(71, 'Multiple occupancy homes'), fn(66, 'Housing')],
  planning: [fn(100, 'Building control'), fn(101, 'Development control'), fn(103, 'Planning policy'), fn(99, 'Planning and building control')],
  waste: [fn(38, 'Waste management'), fn(39, 'Recycling')],
  highways_transport: [fn(109, 'Maintenance'), fn(110, 'Parking'), fn(111, 'Public transport'), fn(112, 'Road safety'), fn(105, 'Transport and highways')],
  environment_climate: [fn(32, 'Conservation and sustainability'), fn(37, 'Pollution control'), fn(30, 'Environmental protection')],
  revenues_benefits: [fn(3, 'Benefits'), fn(9, 'Business rates'), fn(56, 'Taxation')],
  payments_income: [],
  licensing_protection: [fn(82, 'Licences, permits and permissions'), fn(15, 'Trading standards'), fn(34, 'Environmental health')],
  community_voluntary: [fn(57, 'Volunteering and voluntary organisations'), fn(4, 'Community support'), fn(62, 'Community centres and facilities')],
  leisure_culture: [fn(76, 'Libraries'), fn(80, 'Sports and sporting venues'), fn(81, 'Tourism'), fn(72, 'Leisure and culture')],
  public_health: [fn(65, 'Health and medical advice')],
  democracy: [fn(50, 'Democracy'), fn(48, 'Consultations')],
  corporate: [fn(52, 'Municipal operation'), fn(49, 'Data protection and freedom of information'), fn(53, 'Policy and performance')],
} as const satisfies Record<string, readonly EsdFunction[]>;
