import { Alert, Button, Code, Group, Loader, Text } from '@mantine/core';
import { IconRefresh, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useAuditVerification, type AuditVerification } from '../api/audit';
import type { ApiError } from '../api/errors';
import { sentence } from '../format/text';
import { formatDateTime } from '../format/time';

export const HEAD_HASH_CHARS = 12;

/** The banner's headline for a verification result. */
export function chainHeadline(result: AuditVerification): string {
  if (result.ok) {
    const entries = `${result.entries_checked.toLocaleString('en')} ${result.entries_checked === 1 ? 'entry' : 'entries'}`;
    const head = result.head_hash ? `, head ${result.head_hash.slice(0, HEAD_HASH_CHARS)}` : '';
    return `Audit chain verified — ${entries}${head}`;
  }
  const at = result.first_broken_seq != null ? ` at entry #${result.first_broken_seq}` : '';
  return `Audit chain broken${at}: ${result.reason ?? 'no reason given'}`;
}

interface ChainStatusViewProps {
  result: AuditVerification | undefined;
  error: ApiError | null;
  checking: boolean;
  onVerify: () => void;
}

/** Presentational: the verification result (or its failure) and a Re-verify button. */
export function ChainStatusView({ result, error, checking, onVerify }: ChainStatusViewProps) {
  const button = (
    <Button
      size="compact-sm"
      variant="white"
      color={result && !result.ok ? 'red' : 'teal'}
      leftSection={checking ? <Loader size={12} /> : <IconRefresh size={14} aria-hidden />}
      onClick={onVerify}
      disabled={checking}
    >
      {checking ? 'Verifying…' : 'Re-verify'}
    </Button>
  );

  if (!result && !error) {
    return (
      <Alert color="gray" variant="light" icon={<Loader size={16} />} data-testid="chain-status" data-state="checking">
        <Text size="sm">Verifying the audit chain: recomputing every entry’s hash…</Text>
      </Alert>
    );
  }

  if (!result && error) {
    return (
      <Alert color="orange" variant="light" icon={<IconShieldX size={18} aria-hidden />} data-testid="chain-status" data-state="error" title="The audit chain could not be verified">
        <Group justify="space-between" gap="sm">
          <Text size="sm">
            {error.detail ? sentence(error.detail) : error.title} <Code>{error.code}</Code>
          </Text>
          {button}
        </Group>
      </Alert>
    );
  }

  const verification = result!;
  return (
    <Alert
      color={verification.ok ? 'teal' : 'red'}
      variant={verification.ok ? 'light' : 'filled'}
      icon={verification.ok ? <IconShieldCheck size={20} aria-hidden /> : <IconShieldX size={20} aria-hidden />}
      data-testid="chain-status"
      data-state={verification.ok ? 'ok' : 'broken'}
      role={verification.ok ? 'status' : 'alert'}
    >
      <Group justify="space-between" gap="sm" wrap="wrap">
        <div>
          <Text size="sm" fw={600} data-testid="chain-headline">
            {chainHeadline(verification)}
          </Text>
          <Text size="xs" opacity={0.8}>
            {verification.ok
              ? `Every entry's hash matches its content and the entry before it. Checked ${formatDateTime(verification.verified_at)}.`
              : `Entries from #${verification.first_broken_seq ?? '?'} on cannot be trusted until this is investigated. Checked ${formatDateTime(verification.verified_at)}.`}
          </Text>
        </div>
        {button}
      </Group>
    </Alert>
  );
}

/** Top of /audit: walks the hash chain on the server (GET /audit/verify) and says whether it holds. */
export function ChainStatusBanner() {
  const verification = useAuditVerification();
  return (
    <ChainStatusView
      result={verification.data}
      error={verification.error}
      checking={verification.isFetching}
      onVerify={() => void verification.refetch()}
    />
  );
}
