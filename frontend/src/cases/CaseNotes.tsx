import { ActionIcon, Badge, Button, CloseButton, Group, NumberInput, Paper, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconLink, IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent, type Ref } from 'react';
import { useAddComment, useLinkCase, useSetTag, type CaseDetail, type LinkKind } from '../api/cases';
import { splitFieldErrors } from '../api/fieldErrors';
import { sentence } from '../format/text';
import { RouterAnchor } from '../routing/links';
import { RelativeTime } from './badges';
import { useReportCaseError } from './caseErrors';
import { linkKindOptions, linkLabel } from './labels';
import { tagProblem } from './tags';

/** Comments, oldest first, and the composer (Ctrl+Enter sends). */
export function CommentsSection({ c, now, canComment, inputRef }: { c: CaseDetail; now: Date; canComment: boolean; inputRef?: Ref<HTMLTextAreaElement> }) {
  const add = useAddComment(c.id);
  const [body, setBody] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const server = splitFieldErrors(add.error, ['body']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = body.trim();
    if (!trimmed) return setProblem('Write something first');
    if (trimmed.length > 10_000) return setProblem('At most 10,000 characters');
    setProblem(null);
    add.mutate(trimmed, { onSuccess: () => setBody('') });
  };
  const other = add.error && !server.byField.body ? (add.error.detail ? sentence(add.error.detail) : add.error.title) : null;

  return (
    <Paper withBorder radius="md" p="md" data-testid="comments-section">
      <Title order={2} fz="md" mb="xs">
        Comments{' '}
        <Text span c="dimmed" fw={400}>
          {c.comments.length > 0 && c.comments.length}
        </Text>
      </Title>
      <Stack gap="sm">
        {c.comments.length === 0 && (
          <Text size="sm" c="dimmed">
            No comments yet.
          </Text>
        )}
        {c.comments.map((comment) => (
          <div key={comment.id} data-testid="comment">
            <Group gap={6} justify="space-between" wrap="nowrap">
              <Text size="xs" fw={600} truncate="end">
                {comment.author}
              </Text>
              <RelativeTime value={comment.created_at} now={now} size="xs" />
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {comment.body}
            </Text>
          </div>
        ))}
        {canComment && (
          <form
            onSubmit={submit}
            noValidate
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
            }}
          >
            <Stack gap={6}>
              <Textarea
                ref={inputRef}
                aria-label="Comment"
                placeholder="Add a comment for the team (c)"
                autosize
                minRows={2}
                maxRows={10}
                value={body}
                onChange={(event) => setBody(event.currentTarget.value)}
                error={problem ?? server.byField.body ?? other}
              />
              <Group justify="space-between">
                <Text size="xs" c="dimmed">
                  Ctrl+Enter to send
                </Text>
                <Button type="submit" size="xs" variant="light" loading={add.isPending}>
                  Comment
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}

/** Tags: remove with ×, add by typing and Enter. */
export function TagsSection({ c, canEdit }: { c: CaseDetail; canEdit: boolean }) {
  const setTag = useSetTag(c.id);
  const reportError = useReportCaseError();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | undefined>();

  const addTag = (event: FormEvent) => {
    event.preventDefault();
    const found = tagProblem(draft);
    if (found) return setProblem(found);
    const tag = draft.trim().toLowerCase();
    setProblem(undefined);
    setTag.mutate({ tag, add: true }, { onSuccess: () => setDraft(''), onError: (error) => setProblem(error.detail ? sentence(error.detail) : error.title) });
  };

  return (
    <div data-testid="tags-section">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={6}>
        Tags
      </Text>
      <Group gap={6} mb={canEdit ? 'xs' : 0}>
        {c.tags.length === 0 && (
          <Text size="sm" c="dimmed">
            None
          </Text>
        )}
        {c.tags.map((tag) => (
          <Badge
            key={tag}
            variant="default"
            size="md"
            fw={500}
            data-tag={tag}
            rightSection={
              canEdit ? (
                <CloseButton
                  size="xs"
                  aria-label={`Remove tag ${tag}`}
                  onClick={() => setTag.mutate({ tag, add: false }, { onError: (error) => reportError(`Could not remove “${tag}”`, error) })}
                />
              ) : undefined
            }
          >
            {tag}
          </Badge>
        ))}
      </Group>
      {canEdit && (
        <form onSubmit={addTag} noValidate>
          <Group gap={6} align="flex-start" wrap="nowrap">
            <TextInput
              size="xs"
              aria-label="New tag"
              placeholder="Add a tag"
              value={draft}
              onChange={(event) => setDraft(event.currentTarget.value)}
              error={problem}
              style={{ flex: 1 }}
            />
            <ActionIcon type="submit" variant="light" size="input-xs" aria-label="Add tag" loading={setTag.isPending && setTag.variables.add}>
              <IconPlus size={14} aria-hidden />
            </ActionIcon>
          </Group>
        </form>
      )}
    </div>
  );
}

/** Related cases (either direction), and a form to link another one. */
export function LinksSection({ c, canEdit }: { c: CaseDetail; canEdit: boolean }) {
  const link = useLinkCase(c.id);
  const [other, setOther] = useState<number | null>(null);
  const [kind, setKind] = useState<LinkKind>('related');
  const [problem, setProblem] = useState<string | undefined>();
  const server = splitFieldErrors(link.error, ['other_case_id', 'kind']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (other === null) return setProblem('Enter a case id');
    if (other === c.id) return setProblem('That is this case');
    setProblem(undefined);
    link.mutate({ otherCaseId: other, kind }, { onSuccess: () => setOther(null) });
  };
  const otherError = link.error && link.error.errors.length === 0 ? (link.error.detail ? sentence(link.error.detail) : link.error.title) : undefined;

  return (
    <div data-testid="links-section">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={6}>
        Related cases
      </Text>
      <Stack gap={4} mb={canEdit ? 'xs' : 0}>
        {c.links.length === 0 && (
          <Text size="sm" c="dimmed">
            None
          </Text>
        )}
        {c.links.map((l) => {
          const outgoing = l.case_id === c.id;
          const target = outgoing ? l.other_case_id : l.case_id;
          return (
            <Group key={`${l.case_id}-${l.other_case_id}-${l.kind}`} gap={6} data-link={`${l.kind}:${target}`}>
              <IconLink size={14} color="var(--mantine-color-gray-6)" aria-hidden />
              <Text size="sm">{linkLabel(l.kind, outgoing)}</Text>
              <RouterAnchor to="/cases/$id" params={{ id: String(target) }} size="sm" ff="monospace" fw={600}>
                #{target}
              </RouterAnchor>
            </Group>
          );
        })}
      </Stack>
      {canEdit && (
        <form onSubmit={submit} noValidate aria-label="Link a case">
          <Group gap={6} align="flex-start" wrap="nowrap">
            <Select
              size="xs"
              aria-label="Link kind"
              data={linkKindOptions}
              value={kind}
              onChange={(value) => setKind((value) ?? 'related')}
              allowDeselect={false}
              w={130}
              comboboxProps={{ withinPortal: true }}
            />
            <NumberInput
              size="xs"
              aria-label="Other case id"
              placeholder="Case #"
              min={1}
              allowDecimal={false}
              allowNegative={false}
              hideControls
              value={other ?? ''}
              onChange={(value) => setOther(typeof value === 'number' && value > 0 ? value : null)}
              error={problem ?? server.byField.other_case_id ?? otherError}
              style={{ flex: 1 }}
            />
            <Button type="submit" size="xs" variant="light" loading={link.isPending}>
              Link
            </Button>
          </Group>
        </form>
      )}
    </div>
  );
}
