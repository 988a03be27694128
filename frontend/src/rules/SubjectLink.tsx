import { Stack, Text } from '@mantine/core';
import { subjectKindLabel } from '../cases/labels';
import { RouterAnchor } from '../routing/links';

/** A subject's name (a link to its page for those who may open it), kind and external id. */
export function SubjectLink({ subject, canOpen }: { subject: { id: number; display_name: string; kind: string; external_id: string; market: string }; canOpen: boolean }) {
  return (
    <Stack gap={0} miw={0}>
      {canOpen ? (
        <RouterAnchor to="/subjects/$id" params={{ id: String(subject.id) }} size="sm" fw={500}>
          {subject.display_name || subject.external_id}
        </RouterAnchor>
      ) : (
        <Text size="sm" fw={500}>
          {subject.display_name || subject.external_id}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {subjectKindLabel(subject.kind)} ·{' '}
        <Text span inherit ff="monospace">
          {subject.external_id}
        </Text>{' '}
        · {subject.market}
      </Text>
    </Stack>
  );
}
