import { builder } from './builder.js';

// Its own module: search facets use it, and case-study.ts imports search.ts.
export const CaseStudyOutcomeEnum = builder.enumType('CaseStudyOutcome', {
  description: 'What happened. Failures are worth as much to other councils as successes',
  values: {
    WORKED: { value: 'worked', description: 'It did what the council hoped' },
    PARTLY_WORKED: { value: 'partly_worked', description: 'Some of it did' },
    DID_NOT_WORK: { value: 'did_not_work', description: 'It did not' },
    TOO_EARLY_TO_TELL: { value: 'too_early_to_tell', description: 'Under way, or too recent to judge' },
  } as const,
});
