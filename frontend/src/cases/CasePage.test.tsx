import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Grant } from '../api/auth';
import type { CaseDetail, CaseEvent } from '../api/cases';
import { caseDetail, decision } from '../test/caseFixtures';
import { meFor } from '../test/fixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch } from '../test/renderApp';

const lead: Grant[] = [{ role: 'lead', market: 'VN' }];

const events: CaseEvent[] = [
  { id: 1, type: 'created', actor: 'user:2', actor_label: 'lead@demo.docket.test', data: { policy: 'counterfeit', severity: 'high' }, created_at: '2025-11-24T10:00:00Z' },
  { id: 2, type: 'claim', actor: 'user:7', actor_label: 'pat@demo.docket.test', data: { from: 'triaged', to: 'in_review' }, created_at: '2025-11-24T10:01:00Z' },
  { id: 3, type: 'commented', actor: 'user:7', actor_label: 'pat@demo.docket.test', data: { comment_id: 1, excerpt: 'Checked the photos' }, created_at: '2025-11-24T10:02:00Z' },
  {
    id: 4,
    type: 'resolve',
    actor: 'user:7',
    actor_label: 'pat@demo.docket.test',
    data: { from: 'in_review', to: 'resolved', outcome: 'violation', actions: ['warn'] },
    created_at: '2025-11-24T10:03:00Z',
  },
];

function server(c: CaseDetail, grants: Grant[] = lead, extra: Record<string, (request: Request) => Response | Promise<Response>> = {}) {
  let current = c;
  const bodies: { path: string; body: unknown }[] = [];
  stubFetch({
    '/api/v1/me': () => jsonResponse(meFor(grants, { id: 7, email: 'pat@demo.docket.test', name: 'Pat Example' })),
    [`/api/v1/cases/${c.id}`]: () => jsonResponse(current),
    [`/api/v1/cases/${c.id}/events`]: () => jsonResponse({ items: events, next_cursor: null }),
    ...extra,
  });
  return {
    bodies,
    setCase: (next: CaseDetail) => {
      current = next;
    },
  };
}

const findPage = () => screen.findByTestId('case-page', {}, { timeout: 5000 });

// The whole case page in jsdom takes a few seconds to render.
describe('CasePage', { timeout: 20_000 }, () => {
  it('shows the subject, badges and only the actions the server allows', async () => {
    server(caseDetail({ allowed_actions: ['claim', 'hold'], status: 'triaged', assignee: null, claim_expires_at: null }));
    renderApp('/cases/101');
    await findPage();
    expect(screen.getByRole('heading', { level: 1, name: 'Case #101' })).toBeInTheDocument();
    const subject = screen.getByTestId('subject-header');
    expect(subject).toHaveTextContent('Hàng Hiệu Giá Tốt');
    expect(subject).toHaveTextContent('Seller · vn-shop-88231 · VN');
    expect(subject).toHaveTextContent('128K');
    expect(within(subject).getByTestId('strike-count')).toHaveTextContent('2');
    expect(within(subject).getByRole('link', { name: /Subject page/ })).toHaveAttribute('href', '/subjects/55');

    const actions = screen.getByTestId('case-actions');
    expect(within(actions).getAllByRole('button').map((b) => b.textContent)).toEqual(['Claim', 'Hold…']);
    // No decision form unless resolve is allowed.
    expect(screen.queryByTestId('decision-form')).not.toBeInTheDocument();
    expect(screen.queryByTestId('lease-badge')).not.toBeInTheDocument();
  });

  it('an emergency shows its banner, and only the emergency action that changes something', async () => {
    server(caseDetail({ emergency: true, allowed_actions: ['declare_emergency', 'clear_emergency', 'hold'], status: 'triaged', assignee: null, claim_expires_at: null }));
    renderApp('/cases/101');
    await findPage();
    expect(screen.getByTestId('emergency-banner')).toHaveTextContent('Emergency');
    const actions = screen.getByTestId('case-actions');
    expect(within(actions).getAllByRole('button').map((b) => b.textContent)).toEqual(['Hold…', 'Clear emergency']);
  });

  it('shows the claim lease of an assigned case and the decision form for its holder', async () => {
    server(caseDetail({ claim_expires_at: new Date(Date.now() + 9 * 60_000).toISOString() }));
    renderApp('/cases/101');
    await findPage();
    expect(screen.getByTestId('lease-badge')).toHaveTextContent(/Claim expires in 0(8|9):\d\d/);
    expect(screen.getByTestId('lease-badge')).toHaveAttribute('data-lease', 'active');
    expect(screen.getByTestId('decision-form')).toBeInTheDocument();
    // Renew is not offered unless the server lists it.
    expect(within(screen.getByTestId('lease-control')).queryByRole('button', { name: 'Renew' })).not.toBeInTheDocument();
  });

  it('the holder renews the claim next to its countdown, which turns orange in its last 2 minutes', async () => {
    const user = userEvent.setup();
    let sent: unknown;
    const ending = caseDetail({ version: 4, claim_expires_at: new Date(Date.now() + 90_000).toISOString(), allowed_actions: ['renew', 'release', 'resolve'] });
    server(ending, lead, {
      'POST /api/v1/cases/101/renew': async (request) => {
        sent = await request.json();
        return jsonResponse({ ...ending, version: 5, claim_expires_at: new Date(Date.now() + 15 * 60_000).toISOString() });
      },
    });
    renderApp('/cases/101');
    await findPage();
    const badge = screen.getByTestId('lease-badge');
    expect(badge).toHaveAttribute('data-lease', 'ending');
    expect(badge).toHaveTextContent(/Claim expires in 01:[23]\d/);
    // Renew sits with the lease, not in the action bar.
    expect(within(screen.getByTestId('case-actions')).queryByRole('button', { name: /Renew/ })).not.toBeInTheDocument();
    await user.click(within(screen.getByTestId('lease-control')).getByRole('button', { name: 'Renew' }));
    await waitFor(() => expect(sent).toEqual({ version: 4 }));
    await waitFor(() => expect(screen.getByTestId('lease-badge')).toHaveAttribute('data-lease', 'active'));
    expect(screen.getByTestId('lease-badge')).toHaveTextContent(/Claim expires in 1[45]:\d\d/);
  });

  it('e opens the escalate dialog, which needs a reason and sends it with the version', async () => {
    const user = userEvent.setup();
    let sent: unknown;
    server(caseDetail({ version: 5 }), lead, {
      'POST /api/v1/cases/101/escalate': async (request) => {
        sent = await request.json();
        return jsonResponse(caseDetail({ status: 'escalated', version: 6, escalation_reason: 'Needs a lead', allowed_actions: ['deescalate', 'assign', 'resolve'] }));
      },
    });
    renderApp('/cases/101');
    await findPage();
    fireEvent.keyDown(document.body, { key: 'e' });
    const dialog = await screen.findByRole('dialog', { name: 'Escalate case #101' });
    await user.click(within(dialog).getByRole('button', { name: 'Escalate' }));
    expect(within(dialog).getByText(/Say why/)).toBeInTheDocument();
    expect(sent).toBeUndefined();

    await user.type(within(dialog).getByRole('textbox', { name: /Reason/ }), 'Needs a lead');
    await user.click(within(dialog).getByRole('button', { name: 'Escalate' }));
    await waitFor(() => expect(sent).toEqual({ version: 5, reason: 'Needs a lead' }));
    expect(await screen.findByTestId('escalation-banner')).toHaveTextContent('Needs a lead');
  });

  it('c focuses the comment box, and r moves to the decision form', async () => {
    server(caseDetail());
    renderApp('/cases/101');
    await findPage();
    fireEvent.keyDown(document.body, { key: 'c' });
    expect(screen.getByRole('textbox', { name: 'Comment' })).toHaveFocus();
    // While typing there, r is a letter, not a shortcut.
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Comment' }), { key: 'r' });
    expect(screen.getByRole('textbox', { name: 'Comment' })).toHaveFocus();
    (document.activeElement as HTMLElement).blur();
    fireEvent.keyDown(document.body, { key: 'r' });
    expect(screen.getByRole('radio', { name: /^Violation/ })).toHaveFocus();
  });

  it('a version conflict says the case changed and reloads it on request', async () => {
    const user = userEvent.setup();
    const { setCase } = server(caseDetail({ version: 3 }), lead, {
      'POST /api/v1/cases/101/release': () =>
        problemResponse(409, { title: 'Conflict', code: 'version_conflict', detail: 'case 101 changed since you loaded it (now version 4)', request_id: 'r-9', current_version: 4 }),
    });
    renderApp('/cases/101');
    await findPage();
    await user.click(screen.getByRole('button', { name: 'Release' }));
    const notice = await screen.findByTestId('version-conflict');
    expect(notice).toHaveTextContent('This case changed — reload');
    expect(notice).toHaveTextContent('version 4');

    setCase(caseDetail({ version: 4, status: 'escalated', allowed_actions: ['deescalate'] }));
    await user.click(within(notice).getByRole('button', { name: 'Reload case' }));
    await waitFor(() => expect(screen.queryByTestId('version-conflict')).not.toBeInTheDocument());
    expect(screen.getByTestId('case-page')).toHaveAttribute('data-version', '4');
  });

  it('awaiting approval: the maker waits for a second person', async () => {
    server(
      caseDetail({
        status: 'awaiting_approval',
        allowed_actions: ['approve', 'reject'],
        decisions: [decision({ decided_by: 'pat@demo.docket.test' })],
      }),
    );
    renderApp('/cases/101');
    await findPage();
    const banner = screen.getByTestId('approval-banner');
    expect(banner).toHaveTextContent('Violation');
    expect(banner).toHaveTextContent('Ban seller · needs approval');
    expect(banner).toHaveTextContent('Batch codes do not exist.');
    expect(within(banner).getByTestId('approval-waiting')).toHaveTextContent('Waiting for a second reviewer');
    expect(within(banner).queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
  });

  it('awaiting approval: another lead rejects with a reason', async () => {
    const user = userEvent.setup();
    const sent: { action: string; body: unknown }[] = [];
    const record = (action: string) => async (request: Request) => {
      sent.push({ action, body: await request.json() });
      return jsonResponse(caseDetail({ status: 'resolved', version: 5, allowed_actions: ['reopen'], decisions: [decision({ review: { verdict: 'approved', note: '', reviewer: 'pat@demo.docket.test', reviewed_at: '2025-11-24T11:00:00Z' } })] }));
    };
    server(caseDetail({ status: 'awaiting_approval', version: 4, allowed_actions: ['approve', 'reject'], decisions: [decision()] }), lead, {
      'POST /api/v1/cases/101/reject': record('reject'),
      'POST /api/v1/cases/101/approve': record('approve'),
    });
    renderApp('/cases/101');
    await findPage();
    const banner = screen.getByTestId('approval-banner');

    await user.click(within(banner).getByRole('button', { name: 'Reject…' }));
    const reject = await screen.findByRole('dialog', { name: 'Reject the decision' });
    await user.type(within(reject).getByRole('textbox', { name: /Reason/ }), 'A warning fits a first offence');
    await user.click(within(reject).getByRole('button', { name: 'Reject decision' }));
    await waitFor(() => expect(sent).toEqual([{ action: 'reject', body: { version: 4, reason: 'A warning fits a first offence' } }]));
  });

  it('awaiting approval: another lead approves after confirming what will apply', async () => {
    const user = userEvent.setup();
    let sent: unknown;
    server(caseDetail({ status: 'awaiting_approval', version: 4, allowed_actions: ['approve', 'reject'], decisions: [decision()] }), lead, {
      'POST /api/v1/cases/101/approve': async (request) => {
        sent = await request.json();
        return jsonResponse(caseDetail({ status: 'resolved', version: 5, allowed_actions: ['reopen'] }));
      },
    });
    renderApp('/cases/101');
    await findPage();
    await user.click(within(screen.getByTestId('approval-banner')).getByRole('button', { name: 'Approve' }));
    const confirm = await screen.findByRole('dialog', { name: 'Approve the decision?' });
    expect(confirm).toHaveTextContent('Remove content, Ban seller apply to Hàng Hiệu Giá Tốt');
    expect(sent).toBeUndefined();
    await user.click(within(confirm).getByRole('button', { name: 'Approve and apply' }));
    await waitFor(() => expect(sent).toEqual({ version: 4 }));
    await waitFor(() => expect(screen.getByTestId('case-page')).toHaveAttribute('data-status', 'resolved'));
  });

  it('previews evidence by kind', async () => {
    server(
      caseDetail({
        evidence: [
          { id: 1, kind: 'file', title: 'Listing photo', body: '', file_name: 'photo.png', content_type: 'image/png', size_bytes: 20480, sha256: 'ab'.repeat(32), download_url: '/api/v1/cases/101/evidence/1/download', added_by: 'pat@demo.docket.test', created_at: '2025-11-24T10:00:00Z' },
          { id: 2, kind: 'url', title: 'Listing page', body: 'https://shop.example.vn/p/1', added_by: 'pat@demo.docket.test', created_at: '2025-11-24T10:00:00Z', download_url: null },
          { id: 3, kind: 'json', title: 'Model hit', body: '{\n  "score": 0.94\n}', added_by: 'pat@demo.docket.test', created_at: '2025-11-24T10:00:00Z', download_url: null },
          { id: 4, kind: 'text', title: 'Buyer report', body: 'The logo is crooked.', added_by: 'pat@demo.docket.test', created_at: '2025-11-24T10:00:00Z', download_url: null },
          { id: 5, kind: 'file', title: 'Invoice', body: '', file_name: 'invoice.pdf', content_type: 'application/pdf', size_bytes: 2_500_000, sha256: 'cd'.repeat(32), download_url: '/api/v1/cases/101/evidence/5/download', added_by: 'pat@demo.docket.test', created_at: '2025-11-24T10:00:00Z' },
        ],
      }),
    );
    renderApp('/cases/101');
    await findPage();
    const items = screen.getAllByTestId('evidence-item');
    expect(within(items[0]!).getByRole('img', { name: 'Listing photo' })).toHaveAttribute('src', '/api/v1/cases/101/evidence/1/download');
    const link = within(items[1]!).getByRole('link', { name: 'https://shop.example.vn/p/1' });
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    expect(items[2]!.querySelector('pre')).toHaveTextContent('"score": 0.94');
    expect(within(items[3]!).getByText('The logo is crooked.').closest('blockquote')).not.toBeNull();
    expect(within(items[4]!).getByRole('link', { name: /invoice.pdf/ })).toHaveAttribute('href', '/api/v1/cases/101/evidence/5/download');
    expect(items[4]).toHaveTextContent('application/pdf · 2.4 MB');
  });

  it('lists the timeline newest first, with who and what', async () => {
    server(caseDetail());
    renderApp('/cases/101');
    await findPage();
    const timeline = screen.getByTestId('case-timeline');
    await waitFor(() => expect(within(timeline).getAllByTestId('timeline-event')).toHaveLength(4));
    const entries = within(timeline).getAllByTestId('timeline-event');
    expect(entries.map((entry) => entry.getAttribute('data-event-type'))).toEqual(['resolve', 'commented', 'claim', 'created']);
    expect(entries[0]).toHaveTextContent('Resolved');
    expect(entries[0]).toHaveTextContent('Violation');
    expect(entries[0]).toHaveTextContent('Warn');
    expect(entries[1]).toHaveTextContent('Checked the photos');
    expect(entries[2]).toHaveTextContent('Triaged → In review');
  });

  it('says so when the case is not in the caller’s markets', async () => {
    stubFetch({ '/api/v1/cases/999': () => problemResponse(404, { title: 'Not Found', code: 'case_not_found', request_id: 'r' }) });
    renderApp('/cases/999');
    expect(await screen.findByTestId('case-not-found', {}, { timeout: 5000 })).toHaveTextContent('Case not found');
  });
});
