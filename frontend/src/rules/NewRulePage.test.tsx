import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RuleInput } from '../api/rules';
import { counterfeit, misleading } from '../test/caseFixtures';
import { meFor, seaMarkets } from '../test/fixtures';
import { queue } from '../test/queueFixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';
import { rule } from '../test/ruleFixtures';

const badLine = 'count("x", "1h") >= "ten"';

interface ServerOptions {
  create?: (body: RuleInput) => Response;
}

function server(options: ServerOptions = {}) {
  const log: FetchCall[] = [];
  const validated: string[] = [];
  const created: RuleInput[] = [];
  stubFetch(
    {
      '/api/v1/me': () => jsonResponse(meFor([{ role: 'analyst', market: 'VN' }])),
      'POST /api/v1/rules/validate': async (request) => {
        const { expression } = (await request.json()) as { expression: string };
        validated.push(expression);
        if (expression.includes('"ten"')) {
          const line = expression.split('\n').findIndex((text) => text.includes('"ten"')) + 1;
          const column = expression.split('\n')[line - 1]!.indexOf('"ten"') + 1;
          return jsonResponse({ valid: false, errors: [{ line, column, message: 'invalid operation: >= (mismatched types int and string)' }], velocity: [] });
        }
        const velocity = [...expression.matchAll(/count\("[^"]*", "[^"]*"\)/g)].map((match) => match[0]);
        return jsonResponse({ valid: true, errors: [], velocity });
      },
      'POST /api/v1/rules': async (request) => {
        const body = (await request.json()) as RuleInput;
        created.push(body);
        return options.create?.(body) ?? jsonResponse(rule({ id: 77, name: body.name, status: body.status ?? 'draft', version: 1 }), 201);
      },
      'GET /api/v1/rules/77': () => jsonResponse(rule({ id: 77, version: 1 })),
      '/api/v1/policies': () => jsonResponse({ items: [counterfeit, misleading], next_cursor: null }),
      '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
      '/api/v1/queues': () => jsonResponse({ items: [queue()], next_cursor: null }),
    },
    { log },
  );
  return { log, validated, created };
}

async function fillDefinition(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'Report burst');
  // The analyst writes in VN only: VN is chosen already.
  await user.type(screen.getByRole('combobox', { name: /^Signal types/ }), 'report.filed{Enter}');
  await user.click(screen.getByRole('combobox', { name: /^Policy/ }));
  await user.click(await screen.findByRole('option', { name: 'Counterfeit goods' }));
}

const expression = () => screen.getByRole('textbox', { name: 'Expression' });

describe('NewRulePage', { timeout: 30_000 }, () => {
  it('checks the expression as you type and shows each error under its line', async () => {
    const user = userEvent.setup();
    const { validated } = server();
    renderApp('/rules/new');
    await screen.findByRole('heading', { level: 1, name: 'New rule' }, { timeout: 5000 });
    expect(screen.getByTestId('validation-summary')).toHaveAttribute('data-state', 'empty');

    await user.type(expression(), `signal.type == "x" and{Enter}${badLine}`);
    const problem = await screen.findByTestId('expression-error', {}, { timeout: 3000 });
    expect(problem).toHaveAttribute('data-line', '2');
    expect(problem).toHaveAttribute('data-column', '21');
    expect(problem.querySelector('pre')?.textContent).toBe(`2 │ ${badLine}\n  │ ${' '.repeat(20)}^~~~~`);
    expect(problem).toHaveTextContent('Line 2, column 21: Invalid operation: >= (mismatched types int and string).');
    expect(expression()).toHaveAttribute('aria-invalid', 'true');
    // Debounced: one request for the whole text, not one per key.
    expect(validated).toEqual([`signal.type == "x" and\n${badLine}`]);

    await user.clear(expression());
    await user.type(expression(), 'signal.type == "x" and count("x", "1h") >= 3');
    await waitFor(() => expect(screen.getByTestId('validation-summary')).toHaveAttribute('data-state', 'valid'), { timeout: 3000 });
    expect(screen.queryByTestId('expression-error')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('velocity-calls')).getByText('count("x", "1h")')).toBeInTheDocument();
  });

  it('inserts from the reference at the cursor', async () => {
    const user = userEvent.setup();
    server();
    renderApp('/rules/new');
    await screen.findByRole('heading', { level: 1, name: 'New rule' }, { timeout: 5000 });
    await user.type(expression(), 'x > 1 and ');
    await user.click(screen.getByRole('button', { name: 'Insert subject.followers' }));
    expect(expression()).toHaveValue('x > 1 and subject.followers');
  });

  it('checks the form first, then maps the server’s field and expression errors to the editor', async () => {
    const user = userEvent.setup();
    const { created } = server({
      create: () =>
        problemResponse(400, {
          title: 'Bad Request',
          code: 'invalid_expression',
          detail: 'the expression does not compile',
          request_id: 'r1',
          errors: [{ field: 'name', code: 'taken', message: 'a rule with this name exists in VN' }],
          expression_errors: [{ line: 1, column: 1, message: 'unknown name nope' }],
        }),
    });
    renderApp('/rules/new');
    await screen.findByRole('heading', { level: 1, name: 'New rule' }, { timeout: 5000 });

    await user.click(screen.getByRole('button', { name: 'Save in shadow' }));
    expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveAccessibleDescription(/Name the rule after what it catches/);
    expect(screen.getByRole('combobox', { name: /^Signal types/ })).toHaveAccessibleDescription(/Which signal types/);
    expect(created).toEqual([]);

    await fillDefinition(user);
    await user.type(expression(), 'nope');
    await user.click(screen.getByRole('button', { name: 'Save in shadow' }));

    await waitFor(() => expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveAccessibleDescription(/A rule with this name exists in VN\./));
    const problem = await screen.findByTestId('expression-error');
    expect(problem).toHaveTextContent('Line 1, column 1: Unknown name nope.');
    expect(created).toEqual([
      expect.objectContaining({ name: 'Report burst', markets: ['VN'], signal_types: ['report.filed'], expression: 'nope', policy: 'counterfeit', severity: 'high', status: 'shadow' }),
    ]);
    // Editing the expression hands the errors back to the live check.
    await user.type(expression(), ' == 1');
    await waitFor(() => expect(screen.queryByText('Unknown name nope.', { exact: false })).not.toBeInTheDocument(), { timeout: 3000 });
  });

  it('saves a draft and opens the new rule', async () => {
    const user = userEvent.setup();
    const { created } = server();
    const { router } = renderApp('/rules/new');
    await screen.findByRole('heading', { level: 1, name: 'New rule' }, { timeout: 5000 });
    await fillDefinition(user);
    await user.type(expression(), 'signal.type == "report.filed"');
    await user.type(screen.getByRole('textbox', { name: /^Change note/ }), 'First cut');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/rules/77'));
    expect(created[0]).toMatchObject({ status: 'draft', note: 'First cut', priority_boost: 0, queue_id: null, auto_triage: false });
  });
});
