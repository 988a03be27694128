import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { seaMarkets, systemStatus } from '../test/fixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch } from '../test/renderApp';

const marketsOk = () => jsonResponse({ items: seaMarkets, next_cursor: null });

describe('StatusPage', () => {
  it('says "API healthy" and lists the markets when everything is fine', async () => {
    stubFetch({
      '/api/v1/system/status': () => jsonResponse(systemStatus()),
      '/api/v1/markets': marketsOk,
    });
    renderApp('/status');

    await waitFor(() => expect(screen.getByTestId('api-health')).toHaveTextContent(/^API healthy$/));
    expect(screen.getByRole('heading', { level: 1, name: 'System status' })).toBeInTheDocument();
    expect(screen.getByTestId('server-version')).toHaveTextContent('0.1.0-test');
    expect(screen.getByTestId('server-uptime')).toHaveTextContent('3 h 12 min');
    expect(screen.getByTestId('schema-version')).toHaveTextContent('7 of 7');
    expect(screen.getByText('SQLite (embedded)')).toBeInTheDocument();

    const table = await screen.findByTestId('markets-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-market'))).toEqual(['ID', 'MY', 'PH', 'SG', 'TH', 'VN']);
    const vietnam = within(table).getByText('Vietnam').closest('tr');
    expect(vietnam).toHaveTextContent('Asia/Ho_Chi_Minh');
    expect(vietnam).toHaveTextContent(/\d{2}:\d{2} \(UTC\+7\)/);
  });

  it('says "API degraded" when migrations are pending', async () => {
    stubFetch({
      '/api/v1/system/status': () =>
        jsonResponse(systemStatus({ status: 'degraded' }, { schema_version: 5, latest_version: 7, migrations_current: false })),
      '/api/v1/markets': marketsOk,
    });
    renderApp('/status');

    await waitFor(() => expect(screen.getByTestId('api-health')).toHaveTextContent(/^API degraded$/));
    expect(screen.getByTestId('schema-version')).toHaveTextContent('5 of 7');
    expect(screen.getByTestId('schema-version')).toHaveTextContent('2 pending');
  });

  it('says "API degraded" when the server says ok but the database is unreachable', async () => {
    stubFetch({
      '/api/v1/system/status': () => jsonResponse(systemStatus({}, { reachable: false })),
      '/api/v1/markets': marketsOk,
    });
    renderApp('/status');

    await waitFor(() => expect(screen.getByTestId('api-health')).toHaveTextContent(/^API degraded$/));
  });

  it('says "API unreachable" when the request fails', async () => {
    stubFetch({
      '/api/v1/system/status': () => {
        throw new TypeError('Failed to fetch');
      },
      '/api/v1/markets': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    renderApp('/status');

    await waitFor(() => expect(screen.getByTestId('api-health')).toHaveTextContent(/^API unreachable$/));
    const [statusAlert] = await screen.findAllByTestId('problem-alert');
    expect(statusAlert).toHaveTextContent('Cannot reach the Docket server');
    expect(statusAlert).toHaveTextContent('network_error');
  });

  it('shows the problem title, detail, code and request id when the server answers with an error', async () => {
    stubFetch({
      '/api/v1/system/status': () =>
        problemResponse(503, {
          title: 'Service Unavailable',
          detail: 'The database did not answer within 2 s.',
          code: 'database_unavailable',
          request_id: 'req-7f3a',
        }),
      '/api/v1/markets': marketsOk,
    });
    renderApp('/status');

    await waitFor(() => expect(screen.getByTestId('api-health')).toHaveTextContent(/^API unreachable$/));
    const alert = screen.getByTestId('problem-alert');
    expect(alert).toHaveTextContent('Service Unavailable');
    expect(alert).toHaveTextContent('The database did not answer within 2 s.');
    expect(alert).toHaveTextContent('database_unavailable');
    expect(alert).toHaveTextContent('req-7f3a');
  });

  it('shows a loader until the first answer arrives', async () => {
    let answer: (response: Response) => void = () => {};
    stubFetch({
      '/api/v1/system/status': () => new Promise<Response>((resolve) => (answer = resolve)),
      '/api/v1/markets': marketsOk,
    });
    renderApp('/status');

    expect(await screen.findByText('Checking the server…')).toBeInTheDocument();
    expect(screen.getByTestId('api-health')).toHaveTextContent('Checking API…');
    answer(jsonResponse(systemStatus()));
    await waitFor(() => expect(screen.getByTestId('api-health')).toHaveTextContent(/^API healthy$/));
    expect(screen.queryByText('Checking the server…')).not.toBeInTheDocument();
  });
});
