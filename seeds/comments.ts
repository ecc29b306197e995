/** What a comment is on, by the key of a seeded problem, solution or case study. */
export type SeedCommentSubject = { problem: string } | { solution: string } | { caseStudy: string };

/**
 * Comments from other councils. Those by real councils ask questions or offer general advice:
 * none reports figures or an outcome of its own, since no public source backs one.
 */
export interface SeedComment {
  council: string;
  on: SeedCommentSubject;
  body: string;
}

export const COMMENTS: SeedComment[] = [
  { council: 'swansea', on: { problem: 'ehcp-annual-reviews' }, body: 'In Wales it is IDPs under the ALN Act rather than EHCPs, but the annual review paperwork problem is identical. Would be interested in the portal if it can be adapted.' },
  { council: 'surrey', on: { problem: 'ehcp-annual-reviews' }, body: 'Have you tried sending each SENCO a termly list of deadlines?' },
  { council: 'leeds', on: { problem: 'damp-mould-triage' }, body: 'Worth checking your contact centre scripts against the Housing Ombudsman\'s spotlight report on damp and mould.' },
  { council: 'birmingham', on: { solution: 'damp-mould-triage-model' }, body: 'One suggestion: put the triage outcome on the tenant\'s record where housing officers can see it, not only in the repairs system.' },
  { council: 'edinburgh', on: { solution: 'damp-mould-triage-model' }, body: 'How often do surveyors change the triage decision once they visit?' },
  { council: 'tower-hamlets', on: { caseStudy: 'newham-ta-rate-agreement' }, body: 'Would the agreement hold better with a shared emergency pool of units, funded jointly?' },
  { council: 'croydon', on: { problem: 'ta-nightly-costs' }, body: 'Has anyone compared buying homes to use as TA with leasing them? Buying is slow, but each home ends a nightly-paid placement for good.' },
  { council: 'essex', on: { caseStudy: 'kent-send-routing' }, body: 'Did pooling the fleet change how and when families hear about their routes?' },
  { council: 'hertfordshire', on: { caseStudy: 'lancashire-routing-trial' }, body: 'Thank you for writing this up honestly. How much notice of the new arrangements will families get next time?' },
  { council: 'sheffield', on: { problem: 'missed-bin-reports' }, body: 'Ask your in-cab supplier whether the API is included in your licence.' },
  { council: 'wigan', on: { solution: 'in-cab-crm-integration' }, body: 'Does showing the time of the crew\'s note make residents more willing to accept "bin not presented"?' },
  { council: 'cambridge', on: { caseStudy: 'greater-cambridge-garden-waste' }, body: 'From the other half of the shared service: the same charge applies on our side, so residents get one service whichever council they live in.' },
  { council: 'preston', on: { solution: 'ctax-chatbot' }, body: 'Useful to have a retired solution on here, with the reasons.' },
  { council: 'derby', on: { caseStudy: 'leicester-dd-letters' }, body: 'Did you keep a control group after the trial, to see whether the effect lasted?' },
  { council: 'gwynedd', on: { solution: 'bops' }, body: 'We would like to see BOPS work in Wales. Happy to help with the Welsh-language requirements if the community wants to take it on.' },
  { council: 'cheltenham', on: { caseStudy: 'bucks-local-list' }, body: 'Do you tell agents which questions the service no longer asks?' },
  { council: 'powys', on: { problem: 'library-kiosks' }, body: 'Would like to hear how lone working was agreed with the union. That is our sticking point.' },
  { council: 'camden', on: { caseStudy: 'islington-virtual-visitors' }, body: 'Keep the phone line. Do not let anyone talk you out of it.' },
  { council: 'glasgow', on: { problem: 'llpg-uprn-gaps' }, body: 'The hard part with any matcher is getting system owners to load the matches back.' },
  { council: 'somerset', on: { solution: 'uprn-matcher' }, body: 'How does it handle rural addresses with a house name and no number?' },
  { council: 'kent', on: { caseStudy: 'essex-m365' }, body: 'Did you need Microsoft\'s agreement to change licence mix mid-term, or did you wait for renewal?' },
  { council: 'cardiff', on: { solution: 'bilingual-form-components' }, body: 'The payment hand-off page is the part we would most like to reuse.' },
  { council: 'isles-of-scilly', on: { solution: 'restore-rehearsal-runbook' }, body: 'Could you publish a cut-down version for a team of four? Most of this applies, but not the timescales.' },
  { council: 'derbyshire', on: { caseStudy: 'derbyshire-online-financial' }, body: 'Did the explanatory videos cut the number of forms that came back part-complete?' },
  { council: 'devon', on: { problem: 'asc-assessment-waits' }, body: 'If you try a strengths-based front door, watch the OT list too.' },
  { council: 'belfast', on: { problem: 'hmo-renewals' }, body: 'Staggering licence lengths by risk is how we intend to avoid the same wave in Northern Ireland.' },
];
