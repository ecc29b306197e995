/**
 * The relevance bench's evaluation set, written in council staff's own words (typos,
 * abbreviations, jargon, whole sentences), not lifted from the items' text. Items are
 * named by their seed keys, so edits to the seed wording keep the set valid.
 */
export interface RelevanceQuery {
  readonly query: string;
  /** Seed keys of the items a good search shows first. */
  readonly relevant: readonly string[];
}

export const QUERIES: readonly RelevanceQuery[] = [
  { query: 'ehcp delays', relevant: ['ehcp-annual-reviews', 'annual-review-portal', 'herts-annual-review-alpha'] },
  { query: 'EHC plan reviews running late because schools dont send the paperwork', relevant: ['ehcp-annual-reviews', 'annual-review-portal', 'herts-annual-review-alpha'] },
  { query: 'SEND taxi routes costing a fortune', relevant: ['send-route-optimiser', 'kent-send-routing', 'lancashire-routing-trial'] },
  { query: 'teaching kids with special needs to get the bus to school on their own', relevant: ['independent-travel-training', 'derbyshire-travel-training'] },
  { query: 'ctax reminders', relevant: ['ctax-direct-debit', 'gov-notify-reminders', 'direct-debit-nudge-letters'] },
  { query: 'how do we get more households paying council tax by DD', relevant: ['ctax-direct-debit', 'direct-debit-nudge-letters', 'leicester-dd-letters'] },
  { query: 'stop posting ctax bills', relevant: ['ctax-paper-bills', 'ctax-ebilling-at-contact'] },
  { query: 'tenants ring to chase repairs', relevant: ['repairs-online-booking', 'leeds-repairs-booking'] },
  { query: 'black mould and condensation complaints in council flats', relevant: ['damp-mould-triage', 'damp-mould-triage-model', 'southwark-damp-triage', 'camden-home-sensors'] },
  { query: 'awaabs law hazards', relevant: ['damp-mould-triage', 'damp-mould-triage-model', 'southwark-damp-triage'] },
  { query: 'HMO licences all expiring together', relevant: ['hmo-renewals', 'hmo-online-licensing', 'oxford-hmo-renewals'] },
  { query: 'DFG waiting times', relevant: ['dfg-delays', 'dfg-fast-track', 'cornwall-dfg-fast-track'] },
  { query: 'stairlifts and walk-in showers take nearly a year to fit', relevant: ['dfg-delays', 'dfg-fast-track', 'cornwall-dfg-fast-track'] },
  { query: 'nightly paid TA rates keep going up', relevant: ['ta-nightly-costs', 'east-london-ta-rates', 'newham-ta-rate-agreement'] },
  { query: 'ASC assesment waiting list', relevant: ['asc-assessment-waits', 'strengths-based-front-door', 'notts-front-door'] },
  { query: 'people get huge backdated bills for their care because the means test is slow', relevant: ['asc-financial-assessments', 'online-financial-assessment', 'derbyshire-online-financial'] },
  { query: 'no domiciliary care agencies will cover the villages', relevant: ['rural-homecare'] },
  { query: 'recruiting foster carers for LAC', relevant: ['foster-carer-enquiries', 'fostering-same-day-callback'] },
  { query: 'would-be foster parents give up before we call them back', relevant: ['foster-carer-enquiries', 'fostering-same-day-callback'] },
  { query: 'familys wiating for a school place after moving mid year', relevant: ['in-year-admissions'] },
  { query: 'missed bin calls', relevant: ['missed-bin-reports', 'in-cab-crm-integration', 'stockport-in-cab'] },
  { query: 'connect the bin lorry tablets to our CRM', relevant: ['in-cab-crm-integration', 'stockport-in-cab', 'missed-bin-reports'] },
  { query: 'brown bin subscription stickers', relevant: ['garden-waste-renewals', 'garden-waste-self-service', 'greater-cambridge-garden-waste'] },
  { query: 'flytipping fines need better evidence', relevant: ['fly-tipping-evidence'] },
  { query: 'the same pothole gets reported again and again', relevant: ['pothole-duplicates', 'fixmystreet', 'oxfordshire-fixmystreet'] },
  { query: 'app for residents to report road defects', relevant: ['fixmystreet', 'oxfordshire-fixmystreet', 'pothole-duplicates'] },
  { query: 'too many invalid planning apps', relevant: ['planning-invalid-applications', 'validation-local-list-review', 'bucks-local-list'] },
  { query: 'open source back office for planning', relevant: ['bops', 'southwark-bops'] },
  { query: 'not enough RBIs for building control', relevant: ['building-control-rbi', 'building-control-partnership'] },
  { query: 'keeping branch libraries open without staff on site', relevant: ['technology-enabled-opening', 'norfolk-open-libraries'] },
  { query: 'ebook lending is too expensive', relevant: ['library-ebook-costs', 'ebook-consortium-purchasing'] },
  { query: 'scratchcard visitor permits being forged', relevant: ['visitor-parking-vouchers', 'virtual-visitor-permits', 'islington-virtual-visitors'] },
  { query: 'blue badge backlog', relevant: ['blue-badge-backlog', 'blue-badge-renewal-guidance'] },
  { query: 'charging electric cars for terraced houses with no drive', relevant: ['ev-cross-pavement', 'ev-cable-channel-licence'] },
  { query: 'airbnb licensing', relevant: ['short-term-let-licensing', 'stl-licensing-workflow'] },
  { query: 'out of area private hire drivers', relevant: ['taxi-cross-border', 'nr3s-update-service-routine'] },
  { query: 'food hygeine inspection backlog', relevant: ['food-hygiene-backlog', 'food-low-risk-remote-assessment', 'brighton-food-remote'] },
  { query: 'ransomware recovery', relevant: ['cyber-restore-time', 'restore-rehearsal-runbook', 'exeter-restore-rehearsal'] },
  { query: 'how long would it take us to get everything back after a cyber attack', relevant: ['cyber-restore-time', 'restore-rehearsal-runbook', 'exeter-restore-rehearsal'] },
  { query: 'shared SOC', relevant: ['gm-shared-soc', 'gm-soc-onboarding'] },
  { query: 'freedom of info round robins', relevant: ['foi-volumes', 'foi-disclosure-log'] },
  { query: 'addresses in our systems with no UPRN', relevant: ['llpg-uprn-gaps', 'uprn-matcher', 'wiltshire-uprn'] },
  { query: 'paying for E5 licences nobody uses', relevant: ['m365-licensing', 'm365-licence-rightsizing', 'essex-m365'] },
  { query: 'welsh language online forms', relevant: ['welsh-language-forms', 'bilingual-form-components', 'gwynedd-bilingual-forms'] },
  { query: 'electoral canvass postage costs', relevant: ['canvass-costs', 'email-first-canvass', 'birmingham-email-canvass'] },
  { query: 'taking card payments over the phone PCI', relevant: ['phone-card-payments', 'pci-dtmf-masking'] },
  { query: 'merging systems after the unitary reorganisation', relevant: ['lgr-systems-convergence', 'lgr-migration-sequencing', 'north-yorkshire-convergence', 'sundry-debt-lgr'] },
  { query: 'one VCS directory for social prescribers', relevant: ['community-directories', 'open-referral-directory', 'hull-open-referral'] },
  { query: 'booking rooms in community halls', relevant: ['community-centre-bookings', 'community-booking-discovery'] },
  { query: 'did a chatbot cut council tax calls', relevant: ['ctax-chatbot', 'kirklees-ctax-chatbot'] },
  { query: 'bus stop records are wrong', relevant: ['naptan-bus-stops'] },
  { query: 'second home owners dispute the premium', relevant: ['second-homes-premium'] },
  { query: 'quit smoking referrals in every format', relevant: ['stop-smoking-referrals'] },
  { query: 'EPC data for retrofit bids', relevant: ['retrofit-stock-data'] },
  { query: 'texts and emails instead of letters', relevant: ['gov-notify-reminders'] },
  { query: 'shipping rubbish off the island', relevant: ['island-waste-freight'] },
  { query: 'info sharing agreement across boroughs takes forever to sign', relevant: ['gm-data-sharing', 'gm-isa-template'] },
  { query: 'troubled families data matching', relevant: ['supporting-families-data'] },
  { query: 'bulky waste collection bookings go wrong', relevant: ['bulky-uplift-waits'] },
  { query: 'CMS for the council website', relevant: ['localgov-drupal'] },
];

export type PairLabel = 'duplicate' | 'related' | 'different';

export interface LabelledPair {
  readonly draft: { readonly kind: 'problem' | 'solution' | 'case_study'; readonly council: string; readonly text: string };
  /** The seed item it is compared with. */
  readonly item: string;
  /** duplicate: the same thing elsewhere (or, for a case study, what it is about); related: same
   * work by the same council (shown, not as a duplicate); different: confusable, must not be flagged. */
  readonly label: PairLabel;
}

const problem = (council: string, text: string) => ({ kind: 'problem' as const, council, text });
const solution = (council: string, text: string) => ({ kind: 'solution' as const, council, text });
const caseStudy = (council: string, text: string) => ({ kind: 'case_study' as const, council, text });

export const PAIRS: readonly LabelledPair[] = [
  { draft: problem('leeds', 'EHC plan reviews overrun\nSchools send us the review paperwork late, so most annual reviews miss the statutory deadline.'), item: 'ehcp-annual-reviews', label: 'duplicate' },
  { draft: problem('kent', 'Home adaptation grants for disabled residents take most of a year\nFrom the occupational therapist visit to the builder finishing, people wait many months for rails, ramps and showers.'), item: 'dfg-delays', label: 'duplicate' },
  { draft: problem('leeds', 'Bin crews only hear about missed collections the next day\nComplaints are typed in twice before the crews see them.'), item: 'missed-bin-reports', label: 'duplicate' },
  { draft: problem('kent', 'Fostering enquiries go cold\nMost people who ask about becoming foster carers drop out before we assess them.'), item: 'foster-carer-enquiries', label: 'duplicate' },
  { draft: problem('leeds', 'One pothole, twenty reports\nThe same road defect is logged by many people through phone, web and email, and inspectors sort them manually.'), item: 'pothole-duplicates', label: 'duplicate' },
  { draft: problem('kent', 'Most householder planning applications we receive cannot be validated\nAgents leave out fees, site plans and certificates.'), item: 'planning-invalid-applications', label: 'duplicate' },
  { draft: problem('leeds', 'Paper visitor parking scratchcards are copied and sold on\nPrinting and selling them costs a lot and fraud is common.'), item: 'visitor-parking-vouchers', label: 'duplicate' },
  { draft: problem('kent', 'Hundreds of overdue food premises inspections\nWe have vacancies for environmental health officers and cannot keep up with the inspection programme.'), item: 'food-hygiene-backlog', label: 'duplicate' },
  { draft: problem('leeds', 'All our HMO licences expire in the same year\nThe licensing scheme was renewed in one go, so the team cannot re-inspect them all in time.'), item: 'hmo-renewals', label: 'duplicate' },
  { draft: problem('kent', 'Recovering from ransomware would take weeks\nWe have immutable backups but have never tested restoring every system at once.'), item: 'cyber-restore-time', label: 'duplicate' },
  { draft: solution('leeds', 'Address matching tool\nAttaches property reference numbers to free-text addresses held in service systems.'), item: 'uprn-matcher', label: 'duplicate' },
  { draft: solution('kent', 'Office 365 licence review\nEach quarter we move staff to the cheapest licence that fits what they actually use.'), item: 'm365-licence-rightsizing', label: 'duplicate' },
  { draft: solution('kent', 'Phone payments where callers type their card number on the keypad\nAdvisers never hear the digits, which takes the contact centre out of PCI scope.'), item: 'pci-dtmf-masking', label: 'duplicate' },
  { draft: solution('kent', 'Online booking for community hall rooms\nGroups book and pay for rooms on the website instead of ringing each centre.'), item: 'community-booking-discovery', label: 'duplicate' },
  { draft: caseStudy('leeds', 'Garden waste renewals moved online\nWe dropped bin stickers and crews check who has paid on the round list.'), item: 'garden-waste-self-service', label: 'duplicate' },
  { draft: caseStudy('kent', 'What happened when we tested restoring from backup\nThe rehearsal took far longer than planned for one system.'), item: 'restore-rehearsal-runbook', label: 'duplicate' },
  { draft: caseStudy('leeds', 'A year of the schools portal for EHC plan reviews\nSchools like uploading review paperwork, but the backlog is unchanged.'), item: 'annual-review-portal', label: 'duplicate' },
  { draft: problem('hertfordshire', 'EHCP annual reviews, phase two: paperwork still late after the schools portal\nThe portal is live but a third of reviews still miss the deadline.'), item: 'ehcp-annual-reviews', label: 'related' },
  { draft: solution('kent', 'SEND transport route optimisation, year two\nExtending our routing tool to post-16 transport and adding parent feedback.'), item: 'send-route-optimiser', label: 'related' },
  { draft: problem('cornwall', 'Adaptations over £10,000 still take 40 weeks after the fast track\nSmall DFGs are quicker now, but large extensions wait as long as before.'), item: 'dfg-delays', label: 'related' },
  { draft: solution('exeter', 'Restore rehearsal runbook, second edition\nAdds cloud systems and a template for the lessons log.'), item: 'restore-rehearsal-runbook', label: 'related' },
  { draft: problem('leeds', 'Commercial waste customers leave when prices rise\nBusinesses cancel their trade waste contracts each April.'), item: 'garden-waste-renewals', label: 'different' },
  { draft: problem('kent', 'Single person discount fraud\nWe need to review council tax discounts claimed by households with more than one adult.'), item: 'ctax-direct-debit', label: 'different' },
  { draft: problem('leeds', 'Civil enforcement officers have old handheld devices\nPenalty charge notices are slow to issue and the printers jam.'), item: 'visitor-parking-vouchers', label: 'different' },
  { draft: problem('kent', 'Library roofs leak\nSeveral branch library buildings need roof repairs we cannot fund.'), item: 'library-kiosks', label: 'different' },
  { draft: problem('leeds', 'Taxi ranks in the city centre are too small at night\nQueues of cabs block the road on Friday and Saturday.'), item: 'taxi-cross-border', label: 'different' },
  { draft: problem('kent', 'School meal debt keeps growing\nParents fall behind on paying for school dinners.'), item: 'in-year-admissions', label: 'different' },
  { draft: solution('leeds', 'A chatbot for planning enquiries\nAnswers questions about whether work needs planning permission.'), item: 'ctax-chatbot', label: 'different' },
  { draft: problem('kent', 'Foster carer allowances are lower than neighbouring councils pay\nCarers move to independent agencies for better fees.'), item: 'foster-carer-enquiries', label: 'different' },
  { draft: problem('leeds', 'Damp in school buildings\nClassrooms in older schools have damp walls and we lack a maintenance budget.'), item: 'damp-mould-triage', label: 'different' },
];
