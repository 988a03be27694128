import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { renderWithProviders } from '../test/renderWithProviders';
import { ChainStatusView, chainHeadline } from './ChainStatusBanner';

const head = '9b1f2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

describe('chainHeadline', () => {
  it('an intact chain: entries and the first 12 characters of the head hash', () => {
    expect(chainHeadline({ ok: true, entries_checked: 1284, head_seq: 1284, head_hash: head, verified_at: '2025-11-24T10:00:00Z' })).toBe(
      'Audit chain verified — 1,284 entries, head 9b1f2c3d4e5f',
    );
  });

  it('one entry, singular', () => {
    expect(chainHeadline({ ok: true, entries_checked: 1, head_hash: head, verified_at: '2025-11-24T10:00:00Z' })).toBe(
      'Audit chain verified — 1 entry, head 9b1f2c3d4e5f',
    );
  });

  it('a broken chain: where and why', () => {
    expect(
      chainHeadline({
        ok: false,
        entries_checked: 1284,
        first_broken_seq: 1031,
        reason: 'hash does not match the entry content',
        verified_at: '2025-11-24T10:00:00Z',
      }),
    ).toBe('Audit chain broken at entry #1031: hash does not match the entry content');
  });
});

describe('ChainStatusView', () => {
  it('is green when the chain verifies', () => {
    renderWithProviders(
      <ChainStatusView
        result={{ ok: true, entries_checked: 42, head_seq: 42, head_hash: head, verified_at: '2025-11-24T10:00:00Z' }}
        error={null}
        checking={false}
        onVerify={() => {}}
      />,
    );
    const banner = screen.getByTestId('chain-status');
    expect(banner).toHaveAttribute('data-state', 'ok');
    expect(banner).toHaveTextContent('Audit chain verified — 42 entries, head 9b1f2c3d4e5f');
    expect(banner).not.toHaveTextContent(head);
  });

  it('is red when the chain is broken, and Re-verify asks again', () => {
    const onVerify = vi.fn();
    renderWithProviders(
      <ChainStatusView
        result={{ ok: false, entries_checked: 42, first_broken_seq: 17, reason: 'prev_hash does not link to entry #16', verified_at: '2025-11-24T10:00:00Z' }}
        error={null}
        checking={false}
        onVerify={onVerify}
      />,
    );
    const banner = screen.getByRole('alert');
    expect(banner).toHaveAttribute('data-state', 'broken');
    expect(banner).toHaveTextContent('Audit chain broken at entry #17: prev_hash does not link to entry #16');
    screen.getByRole('button', { name: 'Re-verify' }).click();
    expect(onVerify).toHaveBeenCalledTimes(1);
  });

  it('says when verification itself failed', () => {
    renderWithProviders(
      <ChainStatusView
        result={undefined}
        error={new ApiError({ status: 403, title: 'Forbidden', code: 'forbidden', detail: 'you may not audit.verify' })}
        checking={false}
        onVerify={() => {}}
      />,
    );
    expect(screen.getByTestId('chain-status')).toHaveAttribute('data-state', 'error');
    expect(screen.getByTestId('chain-status')).toHaveTextContent('You may not audit.verify.');
  });
});
