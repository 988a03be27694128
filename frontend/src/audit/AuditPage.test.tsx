import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { meFor } from '../test/fixtures';
import { auditEntry } from '../test/auditFixtures';
import { jsonResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

const auditor = () => jsonResponse(meFor([{ role: 'auditor', market: '*' }]));
const verified = () =>
  jsonResponse({ ok: true, entries_checked: 2, head_seq: 102, head_hash: 'c0ffee0123456789abcdef', verified_at: '2025-11-24T10:06:00Z' });

function auditServer(pages: Record<string, { items: unknown[]; next_cursor: string | null }> = {}) {
  const log: FetchCall[] = [];
  stubFetch(
    {
      '/api/v1/me': auditor,
      '/api/v1/audit/verify': verified,
      '/api/v1/markets': () => jsonResponse({ items: [], next_cursor: null }),
      '/api/v1/audit': (request) => {
        const cursor = new URL(request.url).searchParams.get('cursor') ?? '';
        return jsonResponse(
          pages[cursor] ?? { items: [auditEntry({ seq: 102, action: 'user.create', before: null }), auditEntry()], next_cursor: null },
        );
      },
    },
    { log },
  );
  return log;
}

const auditQueries = (log: FetchCall[]) =>
  log.filter((call) => call.path === '/api/v1/audit').map((call) => Object.fromEntries(new URLSearchParams(call.search)));

describe('AuditPage', () => {
  it('reads the filters from the URL, sends them to the API and the CSV link', async () => {
    const log = auditServer();
    renderApp('/audit?actor=user%3A42&market=VN&since=2025-11-01T00%3A00%3A00Z');

    await screen.findByTestId('audit-table');
    expect(auditQueries(log)[0]).toMatchObject({ actor: 'user:42', market: 'VN', since: '2025-11-01T00:00:00Z' });
    expect(screen.getByLabelText('Actor')).toHaveValue('user:42');
    expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
      'href',
      '/api/v1/audit/export.csv?actor=user%3A42&market=VN&since=2025-11-01T00%3A00%3A00Z',
    );
  });

  it('applying the filter form writes the URL, and the URL drives the next request', async () => {
    const user = userEvent.setup();
    const log = auditServer();
    const { router } = renderApp('/audit?actor=user%3A42');
    await screen.findByTestId('audit-table');

    await user.type(screen.getByLabelText('Action'), 'user.create');
    await user.type(screen.getByLabelText('Object id'), '1007');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    await waitFor(() =>
      expect(router.state.location.search).toEqual({ actor: 'user:42', action: 'user.create', object_id: '1007' }),
    );
    expect(router.state.location.searchStr).toBe('?actor=user%3A42&action=user.create&object_id=1007');
    await waitFor(() => expect(auditQueries(log).at(-1)).toMatchObject({ actor: 'user:42', action: 'user.create', object_id: '1007' }));

    // Back in history restores the previous filters in the form.
    router.history.back();
    await waitFor(() => expect(screen.getByLabelText('Action')).toHaveValue(''));
    expect(screen.getByLabelText('Actor')).toHaveValue('user:42');
  });

  it('shows the verified banner and the entries newest first; a row expands to before/after', async () => {
    const user = userEvent.setup();
    auditServer();
    renderApp('/audit');

    await waitFor(() =>
      expect(screen.getByTestId('chain-status')).toHaveTextContent('Audit chain verified — 2 entries, head c0ffee012345'),
    );
    const table = await screen.findByTestId('audit-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-seq'))).toEqual(['102', '101']);
    expect(rows[1]).toHaveTextContent('Ada Admin');
    expect(rows[1]).toHaveTextContent('user:1');
    expect(rows[1]).toHaveTextContent('req-8f2a91');

    await user.click(screen.getByRole('button', { name: 'Show changes of entry 101' }));
    const details = await screen.findByTestId('audit-details-101');
    const before = within(details).getByTestId('json-before');
    const after = within(details).getByTestId('json-after');
    expect(after).toHaveTextContent('"role": "lead"');
    // Only the changed top-level key is marked, on both sides.
    expect([...after.querySelectorAll('[data-changed]')].map((line) => line.textContent)).toEqual([
      expect.stringContaining('"grants"'),
    ]);
    expect(before.querySelectorAll('[data-changed]')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Show changes of entry 102' }));
    expect(within(await screen.findByTestId('audit-details-102')).getByTestId('json-before')).toHaveTextContent(
      'did not exist before',
    );
  });

  it('Load more fetches the next page with the cursor', async () => {
    const user = userEvent.setup();
    const log = auditServer({
      '': { items: [auditEntry({ seq: 102 })], next_cursor: 'c2' },
      c2: { items: [auditEntry({ seq: 101 })], next_cursor: null },
    });
    renderApp('/audit');
    await screen.findByTestId('audit-table');

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByRole('row').filter((r) => r.hasAttribute('data-seq'))).toHaveLength(2));
    expect(auditQueries(log).at(-1)).toMatchObject({ cursor: 'c2' });
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('no Export CSV for someone without audit.export (admin)', async () => {
    stubFetch({
      '/api/v1/me': () => jsonResponse(meFor([{ role: 'admin', market: '*' }])),
      '/api/v1/audit/verify': verified,
      '/api/v1/audit': () => jsonResponse({ items: [auditEntry()], next_cursor: null }),
    });
    renderApp('/audit');
    await screen.findByTestId('audit-table');
    expect(screen.queryByRole('link', { name: 'Export CSV' })).not.toBeInTheDocument();
    expect(screen.getByTestId('chain-status')).toBeInTheDocument();
  });
});
