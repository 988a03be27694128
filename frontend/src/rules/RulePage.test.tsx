import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Grant } from '../api/auth';
import type { Backtest, BacktestRequest, Rule, RuleUpdate } from '../api/rules';
import { counterfeit } from '../test/caseFixtures';
import { meFor, seaMarkets } from '../test/fixtures';
import { queue } from '../test/queueFixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';
import { backtest, backtestResult, rule, ruleHit, ruleVersion, sampleExpression } from '../test/ruleFixtures';

interface ServerOptions {
  grants?: Grant[];
  rule?: Rule;
  put?: (body: RuleUpdate, current: Rule) => Response;
  /** The states GET /backtests/61 goes through, one per request (the last repeats). */
  backtestStates?: Backtest[];
}

function server(options: ServerOptions = {}) {
  let current = options.rule ?? rule();
  const log: FetchCall[] = [];
  const puts: RuleUpdate[] = [];
  const backtestBodies: BacktestRequest[] = [];
  let polls = 0;
  let started = false;
  stubFetch(
    {
      '/api/v1/me': () => jsonResponse(meFor(options.grants ?? [{ role: 'analyst', market: '*' }])),
      '/api/v1/rules/31': async (request) => {
        if (request.method === 'PUT') {
          const body = (await request.json()) as RuleUpdate;
          puts.push(body);
          if (options.put) return options.put(body, current);
          current = { ...current, ...body, status: body.status ?? current.status, version: current.version + 1, by_version: [] };
          return jsonResponse(current);
        }
        return jsonResponse(current);
      },
      '/api/v1/rules/31/versions': () =>
        jsonResponse({
          items: [
            ruleVersion(),
            ruleVersion({
              version: 2,
              status: 'live',
              expression: 'signal.type == "report.filed"\nand count("report.filed", "1h") >= 5\nand subject.followers > 10000',
              markets: ['TH', 'VN'],
              note: 'Added Thailand',
              created_at: '2025-11-10T03:00:00Z',
            }),
            ruleVersion({ version: 1, status: 'draft', note: 'First cut', created_at: '2025-11-01T03:00:00Z' }),
          ],
          next_cursor: null,
        }),
      '/api/v1/rules/31/hits': (request) => {
        const mode = new URL(request.url).searchParams.get('mode');
        const all = [ruleHit(), ruleHit({ id: 902, mode: 'live', version: 2, case_id: 555 })];
        return jsonResponse({ items: mode ? all.filter((hit) => hit.mode === mode) : all, next_cursor: null });
      },
      'POST /api/v1/rules/31/backtest': async (request) => {
        backtestBodies.push((await request.json()) as BacktestRequest);
        started = true;
        return jsonResponse(backtest({ status: 'queued', scanned: 0, total: 0, result: null, finished_at: null }), 202);
      },
      '/api/v1/rules/31/backtests': () => jsonResponse({ items: started ? [backtest({ status: 'running', result: null })] : [], next_cursor: null }),
      '/api/v1/backtests/61': () => {
        const states = options.backtestStates ?? [backtest()];
        const state = states[Math.min(polls, states.length - 1)]!;
        polls++;
        return jsonResponse(state);
      },
      '/api/v1/policies': () => jsonResponse({ items: [counterfeit], next_cursor: null }),
      '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
      '/api/v1/queues': () => jsonResponse({ items: [queue()], next_cursor: null }),
      'POST /api/v1/rules/validate': () => jsonResponse({ valid: true, errors: [], velocity: ['count("report.filed", "1h")'] }),
    },
    { log },
  );
  return { log, puts, backtestBodies, current: () => current };
}

const findPage = () => screen.findByTestId('rule-page', {}, { timeout: 5000 });
const expression = () => screen.getByRole('textbox', { name: 'Expression' });

describe('RulePage', { timeout: 30_000 }, () => {
  it('shows the rule, its figures and the tabs the caller may use', async () => {
    server();
    renderApp('/rules/31');
    await findPage();
    expect(screen.getByTestId('rule-name')).toHaveTextContent('Report burst on popular listings');
    const quality = screen.getByTestId('rule-quality');
    expect(quality).toHaveTextContent('75 %');
    expect(quality).toHaveTextContent('(9/12)');
    expect(screen.getAllByRole('tab').map((tab) => tab.textContent)).toEqual(['Definition', 'Backtest', 'Versions', 'Hits']);
    expect(expression()).toHaveValue(sampleExpression);
    // An analyst may move a shadow rule on (disable) but not publish it.
    const lifecycle = screen.getByTestId('lifecycle-actions');
    expect(within(lifecycle).getAllByRole('button').map((b) => b.textContent)).toEqual(['Disable']);
  });

  it('saves a change as a new version with the version it loaded', async () => {
    const user = userEvent.setup();
    const { puts } = server();
    renderApp('/rules/31');
    await findPage();
    expect(screen.getByRole('button', { name: 'Save version 4' })).toBeDisabled();
    await user.clear(expression());
    await user.type(expression(), 'signal.type == "report.filed"');
    await user.type(screen.getByRole('textbox', { name: /^Change note/ }), 'Simpler');
    // Lifecycle changes wait for the edit to be saved or discarded.
    expect(screen.getByRole('button', { name: 'Disable' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Save version 4' }));
    await waitFor(() => expect(screen.getByTestId('rule-page')).toHaveAttribute('data-version', '4'));
    expect(puts).toEqual([expect.objectContaining({ version: 3, status: 'shadow', expression: 'signal.type == "report.filed"', note: 'Simpler', markets: ['VN'] })]);
    expect(screen.getByRole('textbox', { name: /^Change note/ })).toHaveValue('');
  });

  it('says so on a 409 version_conflict and reloads on request', async () => {
    const user = userEvent.setup();
    const { log } = server({
      put: () => problemResponse(409, { title: 'Conflict', code: 'version_conflict', detail: 'rule 31 changed', current_version: 4, request_id: 'r' }),
    });
    renderApp('/rules/31');
    await findPage();
    await user.type(expression(), ' and true');
    await user.click(screen.getByRole('button', { name: 'Save version 4' }));
    const conflict = await screen.findByTestId('rule-conflict');
    expect(conflict).toHaveTextContent('This rule changed since you opened it');
    expect(conflict).toHaveTextContent('it is now version 4');
    expect(screen.getByRole('button', { name: 'Save version 4' })).toBeDisabled();
    const loads = log.filter((call) => call.method === 'GET' && call.path === '/api/v1/rules/31').length;
    await user.click(within(conflict).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.queryByTestId('rule-conflict')).not.toBeInTheDocument());
    expect(log.filter((call) => call.method === 'GET' && call.path === '/api/v1/rules/31').length).toBeGreaterThan(loads);
    expect(expression()).toHaveValue(sampleExpression);
  });

  it('lets a lead publish after a dialog that names the markets, sending the content unchanged', async () => {
    const user = userEvent.setup();
    const { puts } = server({ grants: [{ role: 'lead', market: 'VN' }], rule: rule({ may_write: false, may_publish: true, markets: ['VN'] }) });
    renderApp('/rules/31');
    await findPage();
    // No rule.write: the definition is read-only, and there is no Backtest tab.
    expect(expression()).toHaveAttribute('readonly');
    expect(screen.getByTestId('rule-read-only')).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Backtest' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Publish (make live)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Publish “Report burst on popular listings”?' });
    expect(within(dialog).getByTestId('publish-markets')).toHaveTextContent('Vietnam (VN)');
    await user.click(within(dialog).getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(screen.getByTestId('rule-page')).toHaveAttribute('data-status', 'live'));
    expect(puts).toEqual([
      {
        name: 'Report burst on popular listings',
        description: 'Ten reports in an hour on a listing with reach.',
        markets: ['VN'],
        signal_types: ['report.filed'],
        expression: sampleExpression,
        policy: 'counterfeit',
        severity: 'high',
        priority_boost: 50,
        queue_id: null,
        auto_triage: false,
        status: 'live',
        note: 'Published',
        version: 3,
      },
    ]);
  });

  it('explains a 403 publish_required in the dialog', async () => {
    const user = userEvent.setup();
    server({
      grants: [{ role: 'lead', market: 'VN' }],
      rule: rule({ may_write: false, may_publish: true }),
      put: () => problemResponse(403, { title: 'Forbidden', code: 'publish_required', detail: 'needs rule.publish in TH', request_id: 'r' }),
    });
    renderApp('/rules/31');
    await findPage();
    await user.click(screen.getByRole('button', { name: 'Publish (make live)' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Publish' }));
    expect(await within(dialog).findByTestId('publish-required')).toHaveTextContent('needs the rule.publish permission in every market');
  });

  it('runs a backtest, polls its progress, then shows the result', async () => {
    const user = userEvent.setup();
    const { backtestBodies } = server({
      backtestStates: [
        backtest({ status: 'running', scanned: 1300, total: 5200, result: null, finished_at: null }),
        backtest({ result: backtestResult({ truncated: true }) }),
      ],
    });
    const { router } = renderApp('/rules/31');
    await findPage();
    await user.click(screen.getByRole('tab', { name: 'Backtest' }));
    await waitFor(() => expect(router.state.location.search).toEqual({ tab: 'backtest' }));
    expect(await screen.findByText(/None yet/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Run backtest' }));
    expect(await screen.findByText('Scanned 1,300 of 5,200 signals (25 %)', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeInTheDocument();

    const result = await screen.findByTestId('backtest-result', {}, { timeout: 4000 });
    expect(screen.queryByTestId('backtest-progress')).not.toBeInTheDocument();
    expect(within(result).getByTestId('backtest-hits')).toHaveTextContent('37');
    expect(within(result).getByTestId('backtest-precision')).toHaveTextContent('75 %');
    expect(within(result).getByTestId('backtest-precision')).toHaveTextContent('6 of 8 decided subjects');
    expect(within(result).getByTestId('backtest-truncated')).toBeInTheDocument();
    // Every day of the window, the missing ones at zero.
    const bars = within(result).getByTestId('backtest-histogram').querySelectorAll('rect[data-day]');
    expect([...bars].map((bar) => `${bar.getAttribute('data-day')}=${bar.getAttribute('data-hits')}`)).toEqual([
      '2025-11-01=3',
      '2025-11-02=0',
      '2025-11-03=30',
      '2025-11-04=4',
    ]);
    expect(within(within(result).getByTestId('backtest-samples')).getByRole('link', { name: 'Túi xách cao cấp' })).toHaveAttribute('href', '/subjects/55');

    expect(backtestBodies).toHaveLength(1);
    expect(backtestBodies[0]).toMatchObject({ version: 3 });
    const span = Date.parse(backtestBodies[0]!.to) - Date.parse(backtestBodies[0]!.from);
    expect(Math.round(span / 86_400_000)).toBe(30);
  });

  it('says "no decided subjects" when precision cannot be estimated', async () => {
    server({ backtestStates: [backtest({ result: backtestResult({ precision: null, decided: 0, violations: 0 }) })] });
    renderApp('/rules/31?tab=backtest');
    await findPage();
    // Nothing listed yet: run one.
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Run backtest' }));
    expect(await screen.findByTestId('backtest-precision', {}, { timeout: 3000 })).toHaveTextContent('No decided subjects');
  });

  it('backtests the unsaved expression from the editor', async () => {
    const user = userEvent.setup();
    const { backtestBodies } = server();
    renderApp('/rules/31');
    await findPage();
    await user.clear(expression());
    await user.type(expression(), 'signal.type == "x"');
    await user.click(screen.getByRole('tab', { name: /Backtest/ }));
    await user.click(await screen.findByRole('radio', { name: 'The unsaved expression in the editor' }));
    await user.click(screen.getByRole('button', { name: 'Run backtest' }));
    await waitFor(() => expect(backtestBodies).toHaveLength(1));
    expect(backtestBodies[0]).toMatchObject({ expression: 'signal.type == "x"' });
    expect(backtestBodies[0]).not.toHaveProperty('version');
  });

  it('lists the versions with their quality and diffs the latest two', async () => {
    const user = userEvent.setup();
    server();
    renderApp('/rules/31?tab=versions');
    const table = await screen.findByTestId('versions-table', {}, { timeout: 5000 });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-version'))).toEqual(['3', '2', '1']);
    expect(rows[1]).toHaveTextContent('Added Thailand');
    expect(rows[1]).toHaveTextContent('75 %');

    const diff = screen.getByTestId('version-diff');
    const fields = within(diff).getByTestId('field-diff');
    expect([...fields.querySelectorAll('tr[data-field]')].map((row) => row.getAttribute('data-field'))).toEqual(['status', 'markets']);
    expect(fields.querySelector('tr[data-field="markets"]')).toHaveTextContent('MarketsTH, VNVN');
    const lines = within(diff).getByTestId('expression-diff').querySelectorAll('tr[data-kind]');
    expect([...lines].map((line) => line.getAttribute('data-kind'))).toEqual(['same', 'removed', 'added', 'same']);
    expect(lines[1]).toHaveTextContent('>= 5');
    expect(lines[2]).toHaveTextContent('>= 10');

    await user.click(screen.getByRole('button', { name: 'Compare v2 with v1' }));
    expect(within(screen.getByTestId('field-diff')).getByText('Draft')).toBeInTheDocument();
  });

  it('lists hits with a live/shadow filter', async () => {
    const user = userEvent.setup();
    const { log } = server();
    renderApp('/rules/31?tab=hits');
    const table = await screen.findByTestId('hits-table', {}, { timeout: 5000 });
    expect(table.querySelectorAll('tr[data-hit-id]')).toHaveLength(2);
    const live = table.querySelector('tr[data-hit-id="902"]') as HTMLElement;
    expect(within(live).getByRole('link', { name: '#555' })).toHaveAttribute('href', '/cases/555');
    expect(live).toHaveTextContent('count("report.filed", "1h")12');
    await user.click(screen.getByRole('radio', { name: 'Shadow' }));
    await waitFor(() => expect(screen.getByTestId('hits-table').querySelectorAll('tr[data-hit-id]')).toHaveLength(1));
    expect(log.filter((call) => call.path === '/api/v1/rules/31/hits').at(-1)?.search).toContain('mode=shadow');
  });

  it('says so when the rule does not exist', async () => {
    stubFetch({ '/api/v1/rules/99': () => problemResponse(404, { title: 'Not Found', code: 'rule_not_found', request_id: 'r' }) });
    renderApp('/rules/99');
    expect(await screen.findByTestId('rule-not-found', {}, { timeout: 5000 })).toHaveTextContent('No rule with id 99');
  });
});
