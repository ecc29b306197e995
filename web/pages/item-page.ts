import { linkList, summaryList, tag, type SummaryRow } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { isSafeUrl, type Markdown } from '../markdown.js';
import { adoptionStageTag, COST_BANDS, councilPath, formatDate, formatPounds, humanise, itemPath, kindOfTypename, KIND_COLOURS, KIND_LABELS } from '../vocabulary.js';
import type { CouncilName, ItemData, ItemPageData, LinkedItem } from './item-query.js';
import type { WebSession } from '../../server/auth/sessions.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { commentPermissions } from './comment-pages.js';

/** A problem, solution or case study: its content, councils, linked items and comments. */
export function itemPage(data: ItemPageData & { node: ItemData }, markdown: Markdown, signedIn?: { session: WebSession; actions: SafeHtml; commentForm: SafeHtml }): { title: string; main: SafeHtml } {
  const item = data.node;
  const kind = kindOfTypename(item.__typename)!;
  const area = data.serviceAreas.find((a) => a.code === item.serviceArea)?.name ?? humanise(item.serviceArea);
  const main = html`
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <span class="govuk-caption-l">${KIND_LABELS[kind]}</span>
  <h1 class="govuk-heading-l">${item.title}</h1>
  ${item.visibility === 'DRAFT' ? html`<p class="govuk-body">${tag('Draft', 'yellow')} Only your council can see it until it is published.</p>` : ''}
  ${item.visibility === 'HIDDEN' ? html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
    <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> Hidden by moderators. Only its council and the hub's platform admins can see this page; it is left out of search, lists, open data and events.</strong></div>` : ''}
  <p class="govuk-body-l">${item.summary}</p>
  ${summaryList([
    { key: 'Council', value: councilLink(item.council) },
    { key: 'Who to call', value: contactValue(item, signedIn !== undefined) },
    { key: 'Service area', value: area },
    ...kindRows(item),
    { key: 'Published', value: formatDate(item.publishedAt) },
    { key: 'Tags', value: item.tags.length ? item.tags.map((t) => html`${tag(t, 'grey')} `) : 'None' },
  ])}
  ${item.body ? html`<h2 class="govuk-heading-m">Details</h2><div class="cc-markdown">${markdown.render(item.body)}</div>` : ''}
  ${item.lessons ? html`<h2 class="govuk-heading-m">Lessons learned</h2><div class="cc-markdown">${markdown.render(item.lessons)}</div>` : ''}
  ${signedIn?.actions ?? ''}
  ${signedIn && item.visibility === 'PUBLISHED' ? html`<p class="govuk-body-s"><a class="govuk-link" href="/report?subject=${item.id}">Report this ${KIND_LABELS[kind].toLowerCase()} to the moderators</a></p>` : ''}
  ${councilsSection(item)}
  <h2 class="govuk-heading-m" id="linked-items">Linked items</h2>
  ${linkedSections(item)}
  <h2 class="govuk-heading-m" id="comments">Comments (${item.commentCount})</h2>
  ${item.comments.edges.length === 0 ? html`<p class="govuk-body">No comments yet.</p>` : html`<ul class="govuk-list cc-comments">${item.comments.edges.map(({ node }) => html`<li class="cc-comment" id="comment-${node.id}">
    <p class="govuk-body-s govuk-!-margin-bottom-1"><strong>${node.author.name}</strong>, ${councilLink(node.council)}, ${formatDate(node.createdAt)}${node.editedAt ? ' (edited)' : ''}</p>
    <div class="cc-markdown">${markdown.render(node.body)}</div>${signedIn ? commentLinks(signedIn.session, node) : ''}</li>`)}</ul>`}
  ${item.commentCount > item.comments.edges.length ? html`<p class="govuk-body">Showing the first ${item.comments.edges.length} of ${item.commentCount} comments.</p>` : ''}
  ${signedIn?.commentForm ?? ''}
</div></div>`;
  return { title: item.title, main };
}

/** Edit and delete, for the comments the member may change; each link names its comment for screen readers. */
function commentLinks(session: WebSession, comment: ItemData['comments']['edges'][number]['node']): SafeHtml {
  const may = commentPermissions(session, comment);
  const own = comment.author.id === encodeGlobalId('Member', session.viewer.memberId);
  const whose = html`<span class="govuk-visually-hidden"> ${own ? 'your' : `${comment.author.name}’s`} comment of ${formatDate(comment.createdAt)}</span>`;
  return html`<ul class="govuk-list govuk-body-s cc-comment-actions">
    ${may.edit ? html`<li><a class="govuk-link" href="/comments/${comment.id}/edit">Edit${whose}</a></li>` : ''}
    ${may.delete ? html`<li><a class="govuk-link" href="/comments/${comment.id}/delete">Delete${whose}</a></li>` : ''}
    ${own ? '' : html`<li><a class="govuk-link" href="/report?subject=${comment.id}">Report${whose}</a></li>`}</ul>`;
}

/** Signed-in members see the named contact; anonymous visitors the council only. */
function contactValue(item: ItemData, signedIn: boolean): SafeHtml {
  if (!signedIn) return html`${councilLink(item.council)}. <a class="govuk-link" href="/sign-in">Sign in</a> to see who to call.`;
  if (!item.contact) return html`Nobody is named. Ask ${councilLink(item.council)}.`;
  return html`${item.contact.name}, <a class="govuk-link cc-break" href="mailto:${item.contact.email}">${item.contact.email}</a>`;
}

function kindRows(item: ItemData): SummaryRow[] {
  if (item.__typename === 'Problem') {
    return [
      { key: 'Status', value: humanise(item.problemStatus!) },
      { key: 'Councils with this problem', value: String(1 + (item.supporterCount ?? 0)) },
      // "Same problem" (markProblemSameAs): the demand adds up on the existing problem.
      ...(item.sameAs ? [{ key: 'Same problem as', value: html`<a class="govuk-link" href="${itemPath('PROBLEM', item.sameAs.id)}">${item.sameAs.title}</a> (${item.sameAs.council.name})` }] : []),
      ...(item.sameProblems?.length ? [{ key: 'Also described by', value: html`${item.sameProblems.map((p, i) => html`${i ? ', ' : ''}<a class="govuk-link" href="${itemPath('PROBLEM', p.id)}">${p.title}</a> (${p.council.name})`)}` }] : []),
      ...sourceRow(item),
    ];
  }
  if (item.__typename === 'Solution') {
    return [
      { key: 'Status', value: humanise(item.solutionStatus!) },
      { key: 'Kind', value: humanise(item.kind!) },
      { key: 'Phase', value: humanise(item.phase!) },
      ...(item.costBand ? [{ key: 'First-year cost', value: COST_BANDS[item.costBand] ?? humanise(item.costBand) }] : []),
      ...(item.licence ? [{ key: 'Licence', value: item.licence }] : []),
      ...(item.url ? [{ key: 'Website', value: externalLink(item.url) }] : []),
      ...sourceRow(item),
    ];
  }
  return [
    { key: 'Outcome', value: humanise(item.outcome!) },
    ...(formatPounds(item.costPounds) ? [{ key: 'Cost', value: formatPounds(item.costPounds) }] : []),
    ...(formatPounds(item.savingsClaimedPounds) ? [{ key: 'Savings claimed', value: formatPounds(item.savingsClaimedPounds) }] : []),
    ...(item.evidenceUrl ? [{ key: 'Evidence', value: externalLink(item.evidenceUrl) }] : []),
  ];
}

/** Where it was published before, and its freshness (problems and solutions). */
function sourceRow(item: ItemData): SummaryRow[] {
  return [
    ...(item.sourceUrl ? [{ key: 'Source', value: externalLink(item.sourceUrl) }] : []),
    ...(item.phaseEndsOn ? [{ key: 'Phase expected to end', value: item.phaseEndsOn }] : []),
    ...(item.mayBeOutOfDate ? [{ key: 'Freshness', value: 'May be out of date: its council has not yet confirmed it is still current' }] : []),
  ];
}

/** Councils with this problem that run the same system: partners for buying a fix together. */
function sharedSystemsSection(shared: NonNullable<ItemData['sharedSystems']>): SafeHtml {
  if (shared.length === 0) return html``;
  return html`<h3 class="govuk-heading-s" id="shared-systems">Councils with this problem on the same system</h3>
    <p class="govuk-body">They could procure a fix or a replacement together.</p>
    <ul class="govuk-list govuk-list--bullet cc-links">${shared.map((s) => html`<li>${s.supplier} ${s.product} (${humanise(s.category)}): ${s.councils.map((c, i) => html`${i ? ', ' : ''}${councilLink(c.council)}${c.contractEndsOn ? ` (contract ends ${formatDate(`${c.contractEndsOn}T12:00:00Z`)})` : ''}`)}</li>`)}</ul>`;
}

function councilsSection(item: ItemData): SafeHtml {
  if (item.__typename === 'Problem') {
    return html`<h2 class="govuk-heading-m" id="councils">Councils that share this problem</h2>
    ${linkList((item.supporters ?? []).map((s) => ({ href: councilPath(s.council.slug), text: s.council.name, after: s.note ? html`: ${s.note}` : '' })),
      'No other council has said it has this problem yet.')}
    ${sharedSystemsSection(item.sharedSystems ?? [])}`;
  }
  if (item.__typename === 'Solution') {
    return html`<h2 class="govuk-heading-m" id="councils">Councils using this solution</h2>
    ${item.partners?.length ? html`<p class="govuk-body">Built or run with: ${item.partners.map((p, i) => html`${i ? ', ' : ''}${councilLink(p)}`)}</p>` : ''}
    ${linkList((item.adoptions ?? []).map((a) => ({ href: councilPath(a.council.slug), text: a.council.name, after: html` ${adoptionStageTag(a.stage)}${a.note ? html` ${a.note}` : ''}` })),
      'No council has recorded adopting it yet.')}`;
  }
  return html``;
}

function linkedSections(item: ItemData): SafeHtml {
  const section = (heading: string, kind: 'PROBLEM' | 'SOLUTION' | 'CASE_STUDY', items: LinkedItem[] | undefined, none: string) => html`
    <h3 class="govuk-heading-s">${heading}</h3>
    ${linkList((items ?? []).map((i) => ({ href: itemPath(kind, i.id), text: i.title, after: html` (${i.council.name}) ${tag(KIND_LABELS[kind], KIND_COLOURS[kind])}` })), none)}`;
  const caseStudies = (of: string) => section('Case studies', 'CASE_STUDY', item.caseStudies, `No council has written a case study about this ${of} yet.`);
  if (item.__typename === 'Problem') {
    return html`${section('Solutions to this problem', 'SOLUTION', item.solutions, 'No solution has been linked to this problem yet.')}${caseStudies('problem')}`;
  }
  if (item.__typename === 'Solution') {
    return html`${section('Problems this solves', 'PROBLEM', item.problems, 'No problem has been linked to this solution yet.')}${caseStudies('solution')}`;
  }
  return html`${section('Problems', 'PROBLEM', item.problems, 'No problems linked.')}${section('Solutions', 'SOLUTION', item.solutions, 'No solutions linked.')}`;
}

function councilLink(council: CouncilName): SafeHtml {
  return html`<a class="govuk-link" href="${councilPath(council.slug)}">${council.name}</a>`;
}

function externalLink(url: string): SafeHtml {
  return isSafeUrl(url)
    ? html`<a class="govuk-link" href="${url}" rel="noopener noreferrer nofollow">${url}</a>`
    : html`${url}`;
}
