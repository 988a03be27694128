import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Grant } from '../api/auth';
import type { BulkRequest } from '../api/cases';
import { caseSummary, counterfeit, misleading } from '../test/caseFixtures';
import { meFor, seaMarkets } from '../test/fixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

const rows = [
  caseSummary({ id: 101 }),
  caseSummary({
    id: 102,
    status: 'triaged',
    severity: 'critical',
    assignee: null,
    claim_expires_at: null,
    emergency: true,
    subject: { ...caseSummary().subject, id: 56, kind: 'creator', external_id: 'vn-creator-5521', display_name: 'Linh Review' },
    tags: [],
  }),
];

function server(grants: Grant[], extra: Record<string, (request: Request) => Response | Promise<Response>> = {}) {
  const log: FetchCall[] = [];
  stubFetch(
    {
      '/api/v1/me': () => jsonResponse(meFor(grants)),
      '/api/v1/cases': () => jsonResponse({ items: rows, next_cursor: null }),
      '/api/v1/policies': () => jsonResponse({ items: [counterfeit, misleading] }),
      '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
      ...extra,
    },
    { log },
  );
  return log;
}

/** The page's code loads lazily; the first render in a run can take a moment. */
const findTable = () => screen.findByTestId('cases-table', {}, { timeout: 5000 });

const lead: Grant[] = [{ role: 'lead', market: 'VN' }, { role: 'lead', market: 'TH' }];
const reviewer: Grant[] = [{ role: 'reviewer', market: 'VN' }];
const lastListQuery = (log: FetchCall[]) =>
  Object.fromEntries(new URLSearchParams(log.filter((call) => call.path === '/api/v1/cases' && call.method === 'GET').at(-1)?.search));

describe('CasesPage', { timeout: 15_000 }, () => {
  it('shows each case in one dense row: subject with kind and external id, badges, market, assignee, SLA', async () => {
    server(lead);
    renderApp('/cases');
    const table = await findTable();
    const first = within(table).getByText('Hàng Hiệu Giá Tốt').closest('tr')!;
    expect(first).toHaveTextContent('Seller · vn-shop-88231');
    expect(first).toHaveTextContent('Counterfeit goods');
    expect(first).toHaveTextContent('brand-x');
    expect(within(first).getByText('High').closest('[data-severity]')).toHaveAttribute('data-severity', 'high');
    expect(within(first).getByText('In review').closest('[data-status]')).toHaveAttribute('data-status', 'in_review');
    expect(first).toHaveTextContent('VN');
    expect(first).toHaveTextContent('Pat Example');
    expect(within(first).getByTestId('sla-badge')).toBeInTheDocument();
    expect(within(first).getByRole('link', { name: '#101' })).toHaveAttribute('href', '/cases/101');
    const second = within(table).getByText('Linh Review').closest('tr')!;
    expect(second).toHaveTextContent('Unassigned');
    expect(within(second).getByLabelText('Emergency')).toBeInTheDocument();
  });

  it('reads the filters from the URL, sends them to the API, and writes changes back to the URL', async () => {
    const user = userEvent.setup();
    const log = server(lead);
    const { router } = renderApp('/cases?status=triaged,new&severity=high&assignee=me&sort=due');
    await findTable();
    // Canonical order in the URL; the same values in the request.
    expect(router.state.location.searchStr).toBe('?status=new%2Ctriaged&severity=high&assignee=me&sort=due');
    expect(lastListQuery(log)).toEqual({ status: 'new,triaged', severity: 'high', assignee: 'me', sort: 'due', limit: '50' });

    const statusRow = screen.getByRole('group', { name: 'Status' });
    await user.click(within(statusRow).getByRole('checkbox', { name: 'Escalated' }));
    await waitFor(() => expect(router.state.location.search).toMatchObject({ status: 'new,triaged,escalated' }));
    await user.click(screen.getByRole('checkbox', { name: 'SLA breached' }));
    await waitFor(() => expect(lastListQuery(log)).toMatchObject({ status: 'new,triaged,escalated', sla_breached: 'true' }));

    await user.click(screen.getByRole('button', { name: /Clear 4 filters/ }));
    await waitFor(() => expect(router.state.location.searchStr).toBe('?sort=due'));
  });

  it('types the search into the URL once typing pauses', async () => {
    const user = userEvent.setup();
    const log = server(lead);
    const { router } = renderApp('/cases');
    await findTable();
    await user.type(screen.getByRole('textbox', { name: 'Search cases' }), 'vn-shop');
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'vn-shop' }));
    await waitFor(() => expect(lastListQuery(log)).toMatchObject({ q: 'vn-shop' }));
  });

  it('moves with j/k and opens the highlighted case with Enter', async () => {
    server(lead, { '/api/v1/cases/102': () => problemResponse(404, { title: 'Not Found', code: 'case_not_found', request_id: 'r' }) });
    const { router } = renderApp('/cases');
    const table = await findTable();
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(within(table).getByText('Hàng Hiệu Giá Tốt').closest('tr')).toHaveAttribute('data-active', 'true');
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.body, { key: 'k' });
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(within(table).getByText('Linh Review').closest('tr')).toHaveAttribute('data-active', 'true');
    // Typing in the search box is not a shortcut.
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Search cases' }), { key: 'k' });
    expect(within(table).getByText('Linh Review').closest('tr')).toHaveAttribute('data-active', 'true');
    fireEvent.keyDown(document.body, { key: 'Enter' });
    await waitFor(() => expect(router.state.location.pathname).toBe('/cases/102'));
  });

  it('opens the shortcuts help with ?', async () => {
    server(lead);
    renderApp('/cases');
    await findTable();
    fireEvent.keyDown(document.body, { key: '?', shiftKey: true });
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(help).getByTestId('shortcuts-table')).toHaveTextContent('Escalate');
  });

  it('has no checkboxes or bulk bar without case.bulk', async () => {
    server(reviewer);
    renderApp('/cases');
    await findTable();
    expect(screen.queryByRole('checkbox', { name: /Select case/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New case' })).not.toBeInTheDocument();
  });

  it('bulk-adds a tag to the selected cases and shows each case’s result', async () => {
    const user = userEvent.setup();
    let sent: BulkRequest | undefined;
    server(lead, {
      'POST /api/v1/cases/bulk': async (request) => {
        sent = (await request.json()) as BulkRequest;
        return jsonResponse({
          succeeded: 1,
          failed: 1,
          results: [
            { case_id: 101, ok: true, version: 4 },
            { case_id: 102, ok: false, code: 'forbidden', detail: 'you may not bulk-change cases in TH' },
          ],
        });
      },
    });
    renderApp('/cases');
    await findTable();
    await user.click(screen.getByRole('checkbox', { name: 'Select case 101' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select case 102' }));
    const bar = screen.getByTestId('bulk-bar');
    expect(bar).toHaveTextContent('2 selected');
    await user.click(within(bar).getByRole('button', { name: 'Tag' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Add tag…' }));
    const dialog = await screen.findByRole('dialog', { name: /Add a tag · 2 cases/ });
    await user.type(within(dialog).getByRole('textbox', { name: /Tag/ }), 'Wave-3');
    await user.click(within(dialog).getByRole('button', { name: 'Add tag 2 cases' }));

    const results = await within(dialog).findByTestId('bulk-results');
    expect(sent).toEqual({ action: 'add_tag', tag: 'wave-3', case_ids: [101, 102] });
    expect(within(dialog).getByTestId('bulk-summary')).toHaveTextContent('1 succeeded');
    expect(within(dialog).getByTestId('bulk-summary')).toHaveTextContent('1 failed');
    const failed = within(results).getByText('#102').closest('tr')!;
    expect(failed).toHaveTextContent('forbidden');
    expect(failed).toHaveTextContent('You may not bulk-change cases in TH.');
    expect(within(results).getByText('#101').closest('tr')).toHaveTextContent('OK');

    await user.click(within(dialog).getByRole('button', { name: 'Keep the 1 failed selected' }));
    await waitFor(() => expect(screen.getByTestId('bulk-bar')).toHaveTextContent('1 selected'));
  });

  it('New case: a 409 case_exists links to the open case', async () => {
    const user = userEvent.setup();
    server(lead, {
      'POST /api/v1/cases': () =>
        problemResponse(409, {
          title: 'Conflict',
          code: 'case_exists',
          detail: 'case 77 is already open for this subject and policy',
          request_id: 'r-5',
          existing_case_id: 77,
        }),
    });
    renderApp('/cases');
    await user.click(await screen.findByRole('button', { name: 'New case' }));
    const dialog = await screen.findByRole('dialog', { name: 'New case' });
    const pick = async (label: RegExp, option: string | RegExp) => {
      const input = within(dialog).getAllByLabelText(label).find((element) => element.tagName === 'INPUT')!;
      await user.click(input);
      await user.click(await screen.findByRole('option', { name: option }));
    };
    await pick(/^Subject kind/, 'Seller');
    await user.type(within(dialog).getByRole('textbox', { name: /External id/ }), 'vn-shop-88231');
    await pick(/^Market/, 'VN · Vietnam');
    await pick(/^Policy/, 'Counterfeit goods');
    // The severity follows the policy's default.
    expect(within(dialog).getAllByLabelText(/^Severity/).find((element) => element.tagName === 'INPUT')).toHaveValue('High');
    await user.click(within(dialog).getByRole('button', { name: 'Create case' }));

    const link = await within(dialog).findByRole('link', { name: 'Open case #77' });
    expect(link).toHaveAttribute('href', '/cases/77');
  });
});
