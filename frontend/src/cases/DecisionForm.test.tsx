import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '../api/cases';
import { caseDetail } from '../test/caseFixtures';
import { jsonResponse, problemResponse, stubFetch, type FetchCall } from '../test/renderApp';
import { renderWithProviders } from '../test/renderWithProviders';
import { CaseErrorContext } from './caseErrors';
import { DecisionForm } from './DecisionForm';

function actionBox(name: string): HTMLInputElement {
  return screen.getByRole('checkbox', { name: new RegExp(`^${name}`) });
}

function setup(c: CaseDetail = caseDetail(), respond?: (body: unknown) => Response) {
  const bodies: unknown[] = [];
  const log: FetchCall[] = [];
  stubFetch(
    {
      [`POST /api/v1/cases/${c.id}/resolve`]: async (request) => {
        const body: unknown = await request.json();
        bodies.push(body);
        return respond ? respond(body) : jsonResponse({ ...c, status: 'resolved', version: c.version + 1 });
      },
    },
    { log },
  );
  const conflicts: unknown[] = [];
  renderWithProviders(
    <CaseErrorContext.Provider value={(_, error) => conflicts.push(error)}>
      <DecisionForm c={c} />
    </CaseErrorContext.Provider>,
  );
  return { bodies, log, conflicts, user: userEvent.setup() };
}

describe('DecisionForm', () => {
  it('offers the policy’s enforcement actions, disabled until the outcome is a violation', async () => {
    const { user } = setup();
    for (const name of ['Warn', 'Remove content', 'Restrict listing', 'Suspend account', 'Ban seller']) {
      expect(actionBox(name)).toBeDisabled();
    }
    await user.click(screen.getByRole('radio', { name: /^Violation/ }));
    for (const name of ['Warn', 'Remove content', 'Ban seller']) expect(actionBox(name)).toBeEnabled();

    // Choosing another outcome disables them again and drops what was ticked.
    await user.click(actionBox('Warn'));
    expect(actionBox('Warn')).toBeChecked();
    await user.click(screen.getByRole('radio', { name: /^No violation/ }));
    expect(actionBox('Warn')).toBeDisabled();
    expect(actionBox('Warn')).not.toBeChecked();
  });

  it('marks the high-impact actions as needing approval, and says so when one is chosen', async () => {
    const { user } = setup();
    expect(screen.getByTestId('needs-approval-suspend_account')).toHaveTextContent('needs approval');
    expect(screen.getByTestId('needs-approval-ban_seller')).toBeInTheDocument();
    expect(screen.queryByTestId('needs-approval-warn')).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: /^Violation/ }));
    await user.click(actionBox('Remove content'));
    expect(screen.queryByTestId('needs-approval-note')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Resolve case' })).toBeInTheDocument();
    await user.click(actionBox('Ban seller'));
    expect(screen.getByTestId('needs-approval-note')).toHaveTextContent('goes to a second lead for approval');
    expect(screen.getByRole('button', { name: 'Submit for approval' })).toBeInTheDocument();
  });

  it('requires an outcome and a rationale before sending anything', async () => {
    const { user, log } = setup();
    await user.click(screen.getByRole('button', { name: 'Resolve case' }));
    expect(screen.getByText('Choose an outcome')).toBeInTheDocument();
    expect(screen.getByText(/Explain the decision/)).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: /^No violation/ }));
    await user.type(screen.getByRole('textbox', { name: /Rationale/ }), '   ');
    await user.click(screen.getByRole('button', { name: 'Resolve case' }));
    expect(screen.getByText(/Explain the decision/)).toBeInTheDocument();
    expect(log.filter((call) => call.method === 'POST')).toEqual([]);
  });

  it('sends resolve with the case version, the outcome, the chosen actions and the trimmed rationale', async () => {
    const { user, bodies } = setup(caseDetail({ id: 101, version: 7 }));
    await user.click(screen.getByRole('radio', { name: /^Violation/ }));
    await user.click(actionBox('Warn'));
    await user.click(actionBox('Remove content'));
    await user.type(screen.getByRole('textbox', { name: /Rationale/ }), '  Photos match known fakes.  ');
    await user.click(screen.getByRole('button', { name: 'Resolve case' }));

    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({
      version: 7,
      decision: { outcome: 'violation', actions: ['warn', 'remove_content'], rationale: 'Photos match known fakes.' },
    });
  });

  it('never sends actions with an outcome other than violation', async () => {
    const { user, bodies } = setup(caseDetail({ version: 4 }));
    await user.click(screen.getByRole('radio', { name: /^Violation/ }));
    await user.click(actionBox('Warn'));
    await user.click(screen.getByRole('radio', { name: /^Insufficient evidence/ }));
    await user.type(screen.getByRole('textbox', { name: /Rationale/ }), 'Only one blurry photo.');
    await user.click(screen.getByRole('button', { name: 'Resolve case' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ version: 4, decision: { outcome: 'insufficient_evidence', actions: [], rationale: 'Only one blurry photo.' } });
  });

  it('shows the server’s field errors next to the fields', async () => {
    const { user } = setup(caseDetail(), () =>
      problemResponse(400, {
        title: 'Bad Request',
        code: 'action_not_allowed',
        detail: 'the decision is not valid',
        request_id: 'r-1',
        errors: [{ field: 'decision.actions[0]', code: 'action_not_allowed', message: 'policy counterfeit allows warn, remove_content' }],
      }),
    );
    await user.click(screen.getByRole('radio', { name: /^Violation/ }));
    await user.click(actionBox('Warn'));
    await user.type(screen.getByRole('textbox', { name: /Rationale/ }), 'x');
    await user.click(screen.getByRole('button', { name: 'Resolve case' }));
    expect(await screen.findByText('Policy counterfeit allows warn, remove_content.')).toBeInTheDocument();
    // Shown with the actions, not as a page-level alert.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('hands a version conflict to the page and keeps what was typed', async () => {
    const { user, conflicts } = setup(caseDetail({ version: 3 }), () =>
      problemResponse(409, { title: 'Conflict', code: 'version_conflict', detail: 'case 101 changed', request_id: 'r-2', current_version: 4 }),
    );
    await user.click(screen.getByRole('radio', { name: /^No violation/ }));
    await user.type(screen.getByRole('textbox', { name: /Rationale/ }), 'Genuine stock, invoices attached.');
    await user.click(screen.getByRole('button', { name: 'Resolve case' }));
    await waitFor(() => expect(conflicts).toHaveLength(1));
    expect(conflicts[0]).toMatchObject({ code: 'version_conflict' });
    expect(screen.getByRole('textbox', { name: /Rationale/ })).toHaveValue('Genuine stock, invoices attached.');
  });
});
