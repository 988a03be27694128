import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../api/errors';
import { splitFieldErrors } from '../api/fieldErrors';
import { sentence } from '../format/text';

export const MAX_REASON_LENGTH = 2000;

interface ReasonModalProps {
  opened: boolean;
  title: string;
  /** What happens, in plain words. */
  description: ReactNode;
  label?: string;
  placeholder?: string;
  confirmLabel: string;
  color?: string;
  loading?: boolean;
  /** The server's answer to the last try (field errors show under the box). */
  error?: ApiError | null;
  onSubmit: (reason: string) => void;
  onClose: () => void;
}

/** Asks why before escalating, holding, reopening or rejecting: the reason is required and goes on the record. */
export function ReasonModal({
  opened,
  title,
  description,
  label = 'Reason',
  placeholder,
  confirmLabel,
  color,
  loading,
  error,
  onSubmit,
  onClose,
}: ReasonModalProps) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => {
    setReason('');
    setProblem(null);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (!trimmed) return setProblem('Say why: the reason goes on the case’s record');
    if (trimmed.length > MAX_REASON_LENGTH) return setProblem(`At most ${MAX_REASON_LENGTH} characters`);
    setProblem(null);
    onSubmit(trimmed);
  };
  const server = splitFieldErrors(error, ['reason']);
  const other = error && !server.byField.reason ? (error.detail ? sentence(error.detail) : error.title) : null;

  return (
    <Modal opened={opened} onClose={close} title={title} centered size="md">
      <form
        onSubmit={submit}
        noValidate
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
        }}
      >
        <Stack gap="md">
          <Text size="sm">{description}</Text>
          <Textarea
            label={label}
            placeholder={placeholder}
            autosize
            minRows={3}
            maxRows={8}
            required
            data-autofocus
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={problem ?? server.byField.reason}
            description="Ctrl+Enter to submit"
          />
          {other && (
            <Text size="sm" c="red" role="alert">
              {other}
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={loading}>
              Cancel
            </Button>
            <Button type="submit" color={color} loading={loading}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
