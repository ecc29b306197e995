/** What a comment is on, by the key of a seeded problem, solution or case study. */
export type SeedCommentSubject = { problem: string } | { solution: string } | { caseStudy: string };

export interface SeedComment {
  council: string;
  on: SeedCommentSubject;
  body: string;
}

export const COMMENTS: SeedComment[] = [
  { council: 'swansea', on: { problem: 'ehcp-annual-reviews' }, body: 'In Wales it is IDPs under the ALN Act rather than EHCPs, but the annual review paperwork problem is identical. Would be interested in the portal if it can be adapted.' },
  { council: 'surrey', on: { problem: 'ehcp-annual-reviews' }, body: 'Have you tried a termly deadline list sent to each SENCO? It helped us a little. It did not fix the underlying problem.' },
  { council: 'leeds', on: { problem: 'damp-mould-triage' }, body: 'Worth checking your contact centre scripts against the Ombudsman\'s spotlight report on damp and mould. We found ours told tenants to "open a window", which did not go down well.' },
  { council: 'birmingham', on: { solution: 'damp-mould-triage-model' }, body: 'Adopted. One tip: put the triage outcome on the tenant\'s record where housing officers can see it, not only in the repairs system.' },
  { council: 'edinburgh', on: { solution: 'damp-mould-triage-model' }, body: 'Piloting in two localities. Our surveyors changed about 9% of decisions in the first month; mostly cases where the tenant understated the size of the area.' },
  { council: 'tower-hamlets', on: { caseStudy: 'newham-ta-rate-agreement' }, body: 'As one of the partners: this is a fair account. We would try again with a shared emergency pool of units, funded jointly.' },
  { council: 'croydon', on: { problem: 'ta-nightly-costs' }, body: 'We are buying homes to use as TA with our own capital. It is slow, but each home stops a nightly-paid placement for good.' },
  { council: 'essex', on: { caseStudy: 'kent-send-routing' }, body: 'The 15-minute rule is a good idea. We are piloting the same tool and will copy it.' },
  { council: 'hertfordshire', on: { caseStudy: 'lancashire-routing-trial' }, body: 'Thank you for writing this up honestly. It saved us from making the same purchase before we had checked our data.' },
  { council: 'sheffield', on: { problem: 'missed-bin-reports' }, body: 'Ask your in-cab supplier whether the API is included in your licence. Ours was, and nobody knew for three years.' },
  { council: 'wigan', on: { solution: 'in-cab-crm-integration' }, body: 'Two rounds live on our pilot. Residents were sceptical of "bin not presented" at first; adding the time of the crew\'s note made the difference, as you said.' },
  { council: 'cambridge', on: { caseStudy: 'greater-cambridge-garden-waste' }, body: 'From the other half of the shared service: the February peak really did disappear. Our contact centre noticed before anyone else did.' },
  { council: 'preston', on: { solution: 'ctax-chatbot' }, body: 'Useful to have a retired solution on here. We were about to buy something very similar.' },
  { council: 'derby', on: { caseStudy: 'leicester-dd-letters' }, body: 'We ran your letter design on our own reminders and saw a smaller effect (about 2.5 points), still well worth it.' },
  { council: 'gwynedd', on: { solution: 'bops' }, body: 'We would like to see BOPS work in Wales. Happy to help with the Welsh-language requirements if the community wants to take it on.' },
  { council: 'cheltenham', on: { caseStudy: 'bucks-local-list' }, body: 'We went through the same exercise and removed 11 items. Agents noticed within a month.' },
  { council: 'powys', on: { problem: 'library-kiosks' }, body: 'Would like to hear how lone working was agreed with the union. That is our sticking point.' },
  { council: 'camden', on: { caseStudy: 'islington-virtual-visitors' }, body: 'Same experience here, including the phone line. Do not let anyone talk you out of it.' },
  { council: 'glasgow', on: { problem: 'llpg-uprn-gaps' }, body: 'The matcher approach works for us too. The hard part is getting system owners to load the matches back.' },
  { council: 'somerset', on: { solution: 'uprn-matcher' }, body: 'Ran it across four legacy district systems. 89% automatic matches; the rural addresses with house names only were most of the rest.' },
  { council: 'kent', on: { caseStudy: 'essex-m365' }, body: 'Did you need Microsoft\'s agreement to change licence mix mid-term, or did you wait for renewal?' },
  { council: 'cardiff', on: { solution: 'bilingual-form-components' }, body: 'Piloting on two forms. The payment hand-off page alone is worth it.' },
  { council: 'isles-of-scilly', on: { solution: 'restore-rehearsal-runbook' }, body: 'Could you publish a cut-down version for a team of four? Most of this applies, but not the timescales.' },
  { council: 'lincolnshire', on: { caseStudy: 'derbyshire-online-financial' }, body: 'This is why we rejected it. Officers visiting within a week has cut our backlog more than any system change.' },
  { council: 'devon', on: { problem: 'asc-assessment-waits' }, body: 'A strengths-based front door helped us, but watch the OT list. Ours doubled.' },
  { council: 'belfast', on: { problem: 'hmo-renewals' }, body: 'Staggering licence lengths by risk is how we intend to avoid the same wave in Northern Ireland.' },
];
