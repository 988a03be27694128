import { Alert, Badge, Button, Group, Modal, NumberInput, Progress, ScrollArea, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { auditKeys } from '../api/auditKeys';
import { caseKeys, postBulk, type BulkRequest, type CaseSummary } from '../api/cases';
import { sentence } from '../format/text';
import { RouterAnchor } from '../routing/links';
import { AssigneePicker } from './AssigneePicker';
import { bulkActionLabels, runBulk, type BulkAction, type BulkOutcome, type BulkProgress } from './bulk';
import { tagProblem } from './tags';

interface BulkModalProps {
  action: BulkAction | null;
  /** The selected cases, in list order. */
  cases: readonly CaseSummary[];
  onClose: () => void;
  /** After a run: keep these cases selected (the ones that failed), or none. */
  onFinished: (keepSelected: number[]) => void;
}

const titles: Record<BulkAction, string> = {
  assign: 'Assign cases',
  release: 'Release cases',
  escalate: 'Escalate cases',
  resolve_no_violation: 'Resolve as no violation',
  resolve_duplicate: 'Resolve as duplicates',
  add_tag: 'Add a tag',
  remove_tag: 'Remove a tag',
};

const explanations: Record<BulkAction, string> = {
  assign: 'Each case goes to this person for review, with a fresh claim lease.',
  release: 'Each case goes back to its queue, unassigned.',
  escalate: 'Each case goes to the leads of its market with this reason.',
  resolve_no_violation: 'Each case closes with the outcome “no violation” and no enforcement. Cases not yet in review are assigned to you first.',
  resolve_duplicate: 'Each case is linked as a duplicate of the case you name and closes as “no violation”.',
  add_tag: 'The tag is added to every case (cases that already have it stay as they are).',
  remove_tag: 'The tag is removed from every case that has it.',
};

type Phase = 'form' | 'running' | 'done';

/** One bulk action over the selected cases: its inputs, then progress, then what happened to each case. */
export function BulkModal({ action, cases, onClose, onFinished }: BulkModalProps) {
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<Phase>('form');
  const [assignee, setAssignee] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [tag, setTag] = useState('');
  const [duplicateOf, setDuplicateOf] = useState<number | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const abort = useRef<AbortController | null>(null);

  const reset = () => {
    setPhase('form');
    setAssignee(null);
    setReason('');
    setTag('');
    setDuplicateOf(null);
    setProblems({});
    setProgress(null);
    setOutcome(null);
  };
  const close = (keep: number[]) => {
    abort.current?.abort();
    if (phase === 'done') onFinished(keep);
    reset();
    onClose();
  };

  if (!action) return null;
  const ids = cases.map((c) => c.id);
  const markets = [...new Set(cases.map((c) => c.market))];
  const byId = new Map(cases.map((c) => [c.id, c]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const request: Omit<BulkRequest, 'case_ids'> = { action };
    if (action === 'assign') {
      if (assignee === null) found.assignee = 'Pick a person or type their user id';
      else request.assignee_id = assignee;
    }
    if (action === 'escalate') {
      if (!reason.trim()) found.reason = 'Say why these cases need a lead';
      else request.reason = reason.trim();
    }
    if (action === 'resolve_no_violation' || action === 'resolve_duplicate') {
      if (reason.trim()) request.reason = reason.trim();
    }
    if (action === 'resolve_duplicate') {
      if (duplicateOf === null) found.duplicateOf = 'Name the case these duplicate';
      else if (ids.includes(duplicateOf)) found.duplicateOf = 'That case is one of the selected ones';
      else request.duplicate_of = duplicateOf;
    }
    if (action === 'add_tag' || action === 'remove_tag') {
      const problem = tagProblem(tag);
      if (problem) found.tag = problem;
      else request.tag = tag.trim().toLowerCase();
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;

    setPhase('running');
    const controller = new AbortController();
    abort.current = controller;
    const result = await runBulk(request, ids, postBulk, setProgress, controller.signal);
    abort.current = null;
    setOutcome(result);
    setPhase('done');
    void queryClient.invalidateQueries({ queryKey: caseKeys.all });
    void queryClient.invalidateQueries({ queryKey: auditKeys.all });
  };

  const failedIds = outcome?.results.filter((result) => !result.ok).map((result) => result.case_id) ?? [];
  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;

  return (
    <Modal
      opened
      onClose={() => close([])}
      title={`${titles[action]} · ${ids.length} ${ids.length === 1 ? 'case' : 'cases'}`}
      size={phase === 'done' ? 'xl' : 'lg'}
      centered
      closeOnClickOutside={phase !== 'running'}
      closeOnEscape={phase !== 'running'}
    >
      {phase === 'form' && (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {explanations[action]} Each case is changed on its own: one refusal does not undo the others.
            </Text>
            {action === 'assign' && (
              <AssigneePicker
                value={assignee}
                onChange={setAssignee}
                markets={markets}
                seen={cases.map((c) => c.assignee)}
                error={problems.assignee}
              />
            )}
            {action === 'resolve_duplicate' && (
              <NumberInput
                label="Duplicate of case"
                description="The case that stays open (or already decided) for this subject"
                placeholder="Case id, e.g. 1042"
                leftSection={<Text size="sm">#</Text>}
                min={1}
                allowDecimal={false}
                allowNegative={false}
                value={duplicateOf ?? ''}
                onChange={(value) => setDuplicateOf(typeof value === 'number' && value > 0 ? value : null)}
                error={problems.duplicateOf}
                required
                data-autofocus
              />
            )}
            {(action === 'escalate' || action === 'resolve_no_violation' || action === 'resolve_duplicate') && (
              <Textarea
                label={action === 'escalate' ? 'Reason' : 'Note (optional)'}
                description={action === 'escalate' ? 'Leads see this on every case' : 'Added to each decision’s rationale'}
                autosize
                minRows={2}
                maxRows={6}
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
                error={problems.reason}
                required={action === 'escalate'}
                data-autofocus={action === 'escalate' || action === 'resolve_no_violation' ? true : undefined}
              />
            )}
            {(action === 'add_tag' || action === 'remove_tag') && (
              <TextInput
                label="Tag"
                description="Lower case, no spaces, commas or slashes (e.g. wave-3, brand-x)"
                value={tag}
                onChange={(event) => setTag(event.currentTarget.value)}
                error={problems.tag}
                required
                data-autofocus
              />
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => close([])}>
                Cancel
              </Button>
              <Button type="submit" color={action === 'escalate' ? 'orange' : undefined}>
                {bulkActionLabels[action].replace('…', '')} {ids.length} {ids.length === 1 ? 'case' : 'cases'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}

      {phase === 'running' && (
        <Stack gap="sm" py="md">
          <Text size="sm">
            Working… {progress?.done ?? 0} of {progress?.total ?? ids.length} cases
            {progress && progress.chunks > 1 && ` (request ${Math.min(progress.chunk + 1, progress.chunks)} of ${progress.chunks})`}
          </Text>
          <Progress value={percent} size="lg" animated aria-label="Bulk progress" data-testid="bulk-progress" />
          <Text size="xs" c="dimmed">
            Cases are sent in batches of at most 200. Keep this window open until it finishes.
          </Text>
        </Stack>
      )}

      {phase === 'done' && outcome && (
        <Stack gap="md">
          <Progress value={100} size="sm" color={outcome.failed > 0 ? 'orange' : 'teal'} aria-label="Bulk progress" />
          <Group gap="xs" data-testid="bulk-summary">
            <Badge color="teal" variant="light">
              {outcome.succeeded} succeeded
            </Badge>
            <Badge color={outcome.failed > 0 ? 'red' : 'gray'} variant="light">
              {outcome.failed} failed
            </Badge>
          </Group>
          {outcome.stoppedBy && (
            <Alert color="red" variant="light" title="The server refused the request">
              {outcome.stoppedBy.detail ? sentence(outcome.stoppedBy.detail) : outcome.stoppedBy.title} Cases after the refused
              batch were not sent.
            </Alert>
          )}
          <ScrollArea.Autosize mah={360} type="auto">
            <Table data-testid="bulk-results" verticalSpacing={4} stickyHeader>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={80}>Case</Table.Th>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th w={190}>Result</Table.Th>
                  <Table.Th>Detail</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {outcome.results.map((result) => (
                  <Table.Tr key={result.case_id} data-case-id={result.case_id} data-ok={result.ok}>
                    <Table.Td>
                      <RouterAnchor to="/cases/$id" params={{ id: String(result.case_id) }} size="sm" ff="monospace">
                        #{result.case_id}
                      </RouterAnchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" truncate="end" maw={220}>
                        {byId.get(result.case_id)?.subject.display_name ?? ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {result.ok ? (
                        <Badge color="teal" variant="light" size="sm">
                          OK
                        </Badge>
                      ) : (
                        <Badge color="red" variant="light" size="sm" ff="monospace" tt="none">
                          {result.code ?? 'error'}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={result.ok ? 'dimmed' : undefined}>
                        {result.ok ? 'Done' : result.detail ? sentence(result.detail) : ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          <Group justify="flex-end" gap="sm">
            {failedIds.length > 0 && (
              <Button variant="default" onClick={() => close(failedIds)}>
                Keep the {failedIds.length} failed selected
              </Button>
            )}
            <Button onClick={() => close([])}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
