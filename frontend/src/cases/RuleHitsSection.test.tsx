import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Grant } from '../api/auth';
import type { CaseDetail } from '../api/cases';
import { caseDetail } from '../test/caseFixtures';
import { meFor } from '../test/fixtures';
import { jsonResponse, renderApp, stubFetch } from '../test/renderApp';

const withHits = caseDetail({
  hits: [
    {
      id: 1,
      rule_id: 31,
      rule_name: 'Report burst on popular listings',
      version: 4,
      signal_id: 7001,
      signal_type: 'report.filed',
      severity: 'high',
      values: {
        velocity: { 'count("report.filed", "1h")': 12 },
        signal: { type: 'report.filed', source: 'risk-engine', occurred_at: '2025-11-24T09:59:00Z', attributes: { reason: 'counterfeit' } },
        subject: { followers: 128000, gmv_usd: 0, strikes: 2, age_days: 40 },
      },
      created_at: '2025-11-24T09:59:00Z',
    },
    {
      id: 2,
      rule_id: 40,
      rule_name: 'Refund spike',
      version: 1,
      signal_id: 7002,
      signal_type: 'refund.requested',
      severity: 'critical',
      values: {},
      created_at: '2025-11-24T10:30:00Z',
    },
  ],
});

function server(c: CaseDetail, grants: Grant[]) {
  stubFetch({
    '/api/v1/me': () => jsonResponse(meFor(grants)),
    [`/api/v1/cases/${c.id}`]: () => jsonResponse(c),
    [`/api/v1/cases/${c.id}/events`]: () => jsonResponse({ items: [], next_cursor: null }),
  });
}

describe('Rule hits on the case page', { timeout: 20_000 }, () => {
  it('lists each hit with its rule, version, signal type, severity, time and the values it read', async () => {
    server(withHits, [{ role: 'lead', market: 'VN' }]);
    renderApp('/cases/101');
    const section = await screen.findByTestId('rule-hits', {}, { timeout: 5000 });
    expect(within(section).getByRole('heading', { name: 'Rule hits' })).toBeInTheDocument();
    const [first, second] = within(section).getAllByTestId('rule-hit');
    expect(within(first!).getByRole('link', { name: 'Report burst on popular listings' })).toHaveAttribute('href', '/rules/31');
    expect(first).toHaveTextContent('v4');
    expect(first).toHaveTextContent('report.filed');
    expect(within(first!).getByText('High').closest('[data-severity]')).toHaveAttribute('data-severity', 'high');
    const values = within(first!).getByTestId('hit-values');
    const rows = within(values).getAllByRole('row').map((row) => row.textContent);
    // Velocity first: it is what made the rule hit; then the signal's attributes. The context (type, source, the subject's figures) is one click away.
    expect(rows).toEqual(['count("report.filed", "1h")12', 'signal.attributes["reason"]counterfeit']);
    expect(within(values).getByRole('button', { name: '+ 7 more recorded' })).toBeInTheDocument();
    expect(second).toHaveTextContent('Refund spike');
    expect(within(second!).getByTestId('hit-values')).toHaveTextContent('Nothing recorded');
  });

  it('names the rule without a link for someone who may not read rules', async () => {
    server(withHits, [{ role: 'reviewer', market: 'VN' }]);
    renderApp('/cases/101');
    const section = await screen.findByTestId('rule-hits', {}, { timeout: 5000 });
    expect(within(section).queryByRole('link')).not.toBeInTheDocument();
    expect(section).toHaveTextContent('Report burst on popular listings');
  });

  it('is not there for a case no rule opened', async () => {
    server(caseDetail(), [{ role: 'lead', market: 'VN' }]);
    renderApp('/cases/101');
    await screen.findByTestId('case-page', {}, { timeout: 5000 });
    expect(screen.queryByTestId('rule-hits')).not.toBeInTheDocument();
  });
});
