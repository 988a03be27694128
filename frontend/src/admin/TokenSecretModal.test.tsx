import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CreatedToken } from '../api/tokens';
import { renderWithProviders } from '../test/renderWithProviders';
import { TokenSecretModal } from './TokenSecretModal';

const created: CreatedToken = {
  secret: 'dkt_live_3f9a0c1b2d4e5f60718293a4b5c6d7e8',
  token: {
    id: 12,
    name: 'Refund-spike detector',
    prefix: 'dkt_live_3f9a',
    scopes: ['signals:write'],
    markets: ['VN', 'TH'],
    created_at: '2025-11-24T10:00:00Z',
    created_by: 'admin@demo.docket.test',
    active: true,
  },
};

describe('TokenSecretModal', () => {
  it('shows the secret, a copy button and the warning that it will not be shown again', async () => {
    renderWithProviders(<TokenSecretModal created={created} onClose={() => {}} />);

    const dialog = await screen.findByRole('dialog', { name: 'Copy your new API token' });
    expect(within(dialog).getByTestId('token-secret')).toHaveTextContent(created.secret);
    expect(within(dialog).getByRole('alert')).toHaveTextContent('This is the only time you will see it');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('will not be shown again');
    expect(within(dialog).getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    expect(dialog).toHaveTextContent('Refund-spike detector');
  });

  it('copies the secret to the clipboard', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderWithProviders(<TokenSecretModal created={created} onClose={() => {}} />);

    await user.click(await screen.findByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith(created.secret);
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeInTheDocument();
  });

  it('is closed only on purpose, and shows nothing once closed', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const { rerender } = renderWithProviders(<TokenSecretModal created={created} onClose={onClose} />);

    await user.keyboard('{Escape}');
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(onClose).toHaveBeenCalledTimes(1);

    rerender(<TokenSecretModal created={null} onClose={onClose} />);
    expect(screen.queryByText(created.secret)).not.toBeInTheDocument();
  });
});
