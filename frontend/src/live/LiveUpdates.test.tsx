import { notifications } from '@mantine/notifications';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Grant } from '../api/auth';
import { caseDetail } from '../test/caseFixtures';
import { FakeEventSource } from '../test/fakeEventSource';
import { meFor } from '../test/fixtures';
import { queue } from '../test/queueFixtures';
import { jsonResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

const reviewerVN: Grant[] = [{ role: 'reviewer', market: 'VN' }];

function server(grants: Grant[] = reviewerVN) {
  const log: FetchCall[] = [];
  let total = 14;
  stubFetch(
    {
      '/api/v1/me': () => jsonResponse(meFor(grants, { id: 7, email: 'pat@demo.docket.test', name: 'Pat Example' })),
      '/api/v1/queues': () => jsonResponse({ items: [queue({ counts: { ...queue().counts, total } })], next_cursor: null }),
      '/api/v1/cases': () => jsonResponse({ items: [], next_cursor: null }),
      '/api/v1/cases/42': () => jsonResponse(caseDetail({ id: 42 })),
      '/api/v1/cases/42/events': () => jsonResponse({ items: [], next_cursor: null }),
    },
    { log },
  );
  return {
    log,
    setTotal: (next: number) => {
      total = next;
    },
    count: (path: string) => log.filter((call) => call.path === path).length,
  };
}

const queueRow = () => screen.getByTestId('queue-list').querySelector<HTMLElement>('tr[data-queue-id="11"]')!;

describe('live updates', { timeout: 20_000 }, () => {
  beforeEach(() => {
    FakeEventSource.reset();
    vi.stubGlobal('EventSource', FakeEventSource);
    window.localStorage.clear();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    // Toasts live in a module-level store that outlasts each test's render.
    notifications.clean();
  });

  it('one stream per tab; the header says Live; queue counts follow queue.counts_changed without a reload', async () => {
    const api = server();
    renderApp('/queues');
    await screen.findByTestId('queue-list', {}, { timeout: 5000 });
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.latest.url).toBe('/api/v1/stream');
    expect(screen.getByTestId('live-indicator')).toHaveAttribute('data-state', 'connecting');

    act(() => FakeEventSource.latest.open());
    expect(screen.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
    expect(screen.getByTestId('live-indicator')).toHaveTextContent('Live');
    expect(within(queueRow()).getByLabelText('Open: 14')).toBeInTheDocument();

    const before = api.count('/api/v1/queues');
    api.setTotal(15);
    // A burst of hints costs one refetch.
    act(() => {
      for (let i = 0; i < 5; i++) FakeEventSource.latest.emit('queue.counts_changed', { markets: ['VN'] });
    });
    await waitFor(() => expect(within(queueRow()).getByLabelText('Open: 15')).toBeInTheDocument());
    expect(api.count('/api/v1/queues')).toBe(before + 1);
  });

  it('a case assigned to me shows a notification that opens the case', async () => {
    const user = userEvent.setup();
    server();
    const { router } = renderApp('/queues');
    await screen.findByTestId('queue-list', {}, { timeout: 5000 });
    act(() => FakeEventSource.latest.open());
    act(() =>
      FakeEventSource.latest.emit('case.assigned', { case_id: 42, market: 'VN', status: 'in_review', version: 3, by: 'lead@demo.docket.test', severity: 'critical' }, 9),
    );
    const notice = await screen.findByText('Case #42 is assigned to you');
    const toast = notice.closest<HTMLElement>('[data-testid="live-notice"]')!;
    expect(toast).toHaveTextContent('lead@demo.docket.test gave you a critical case in VN.');
    await user.click(within(toast).getByRole('link', { name: 'Open case #42' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/cases/42'));
  });

  it('a burst of assignments (a lead’s bulk assign) is one toast that counts them', async () => {
    server();
    renderApp('/queues');
    await screen.findByTestId('queue-list', {}, { timeout: 5000 });
    act(() => FakeEventSource.latest.open());
    act(() => {
      for (let id = 50; id < 53; id++) FakeEventSource.latest.emit('case.assigned', { case_id: id, market: 'VN', version: 2, by: 'lead@demo.docket.test' }, id);
    });
    expect(await screen.findByText('3 cases are assigned to you')).toBeInTheDocument();
    expect(screen.getAllByTestId('live-notice')).toHaveLength(1);
    expect(within(screen.getByTestId('live-notice')).getByRole('link', { name: 'Open My cases' })).toHaveAttribute('href', '/queues');
  });

  it('an emergency reaching a lead twice (broadcast and notification) shows once', async () => {
    server([{ role: 'lead', market: 'VN' }]);
    renderApp('/queues');
    await screen.findByTestId('queue-list', {}, { timeout: 5000 });
    act(() => FakeEventSource.latest.open());
    act(() => {
      FakeEventSource.latest.emit('notification', { id: 1, kind: 'emergency.declared', case_id: 42, market: 'VN', title: 'Emergency on case #42 (counterfeit, VN)', body: 'Declared by x.' }, 20);
      FakeEventSource.latest.emit('emergency.declared', { case_id: 42, market: 'VN', by: 'x@demo.docket.test', emergency: true }, 21);
    });
    expect(await screen.findByText('Emergency on case #42 (counterfeit, VN)')).toBeInTheDocument();
    expect(screen.getAllByTestId('live-notice')).toHaveLength(1);
  });

  it('the open case page refetches when that case changes', async () => {
    const api = server();
    renderApp('/cases/42');
    await screen.findByTestId('case-page', {}, { timeout: 5000 });
    act(() => FakeEventSource.latest.open());
    const before = api.count('/api/v1/cases/42');
    act(() => FakeEventSource.latest.emit('case.updated', { case_id: 42, market: 'VN', version: 4 }, 30));
    await waitFor(() => expect(api.count('/api/v1/cases/42')).toBe(before + 1));
    // Another case's change leaves this page alone.
    act(() => FakeEventSource.latest.emit('case.updated', { case_id: 43, market: 'VN', version: 1 }, 31));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(api.count('/api/v1/cases/42')).toBe(before + 1);
  });

  it('says Reconnecting… when the stream breaks', async () => {
    server();
    renderApp('/queues');
    await screen.findByTestId('queue-list', {}, { timeout: 5000 });
    act(() => FakeEventSource.latest.open());
    act(() => FakeEventSource.latest.fail());
    expect(screen.getByTestId('live-indicator')).toHaveAttribute('data-state', 'reconnecting');
    expect(screen.getByTestId('live-indicator')).toHaveTextContent('Reconnecting…');
    expect(FakeEventSource.latest.closed).toBe(true);
  });

  it('people the stream would refuse (admins without case or queue reading) do not connect', async () => {
    stubFetch({
      '/api/v1/me': () => jsonResponse(meFor([{ role: 'admin', market: '*' }])),
      '/api/v1/queues': () => jsonResponse({ items: [queue()], next_cursor: null }),
    });
    renderApp('/queues');
    await screen.findByTestId('queue-list', {}, { timeout: 5000 });
    expect(FakeEventSource.instances).toHaveLength(0);
    expect(screen.queryByTestId('live-indicator')).not.toBeInTheDocument();
  });
});
