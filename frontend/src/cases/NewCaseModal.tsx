import { Alert, Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useMe } from '../api/auth';
import { useCreateCase, usePolicies, type CreateCaseRequest, type Severity } from '../api/cases';
import { splitFieldErrors } from '../api/fieldErrors';
import { notifySuccess } from '../api/notify';
import { useMarketList } from '../api/system';
import { marketsWith } from '../auth/access';
import { FormProblem } from '../components/FormProblem';
import { RouterAnchor } from '../routing/links';
import { severities } from './filters';
import { severityLabels, subjectKindLabels, subjectKinds, type SubjectKind } from './labels';
import { tagProblem } from './tags';

interface Draft {
  kind: SubjectKind | null;
  externalId: string;
  market: string | null;
  displayName: string;
  followers: number | '';
  policy: string | null;
  severity: Severity | null;
  /** The person picked a severity themselves: changing the policy no longer overrides it. */
  severityTouched: boolean;
  summary: string;
  tags: string[];
}

const emptyDraft: Draft = {
  kind: null,
  externalId: '',
  market: null,
  displayName: '',
  followers: '',
  policy: null,
  severity: null,
  severityTouched: false,
  summary: '',
  tags: [],
};

/**
 * "New case": a subject (matched by kind and external id, or created), a
 * policy and a severity (the policy's default unless changed). A second open
 * case for the same subject and policy is refused with 409 `case_exists`,
 * which links to the open one.
 */
export function NewCaseModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const me = useMe();
  const navigate = useNavigate();
  const create = useCreateCase();
  const policies = usePolicies();
  const markets = useMarketList();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [local, setLocal] = useState<Record<string, string>>({});
  const allowed = marketsWith(me.permissions, 'case.create');
  const marketChoices = (markets.data ?? []).filter((market) => allowed.includes('*') || allowed.includes(market.code));

  const close = () => {
    setDraft(emptyDraft);
    setLocal({});
    create.reset();
    onClose();
  };
  const update = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));

  const server = splitFieldErrors(create.error, ['subject.kind', 'subject.external_id', 'subject.market', 'policy', 'severity', 'summary', 'tags']);
  const errorFor = (field: string) => local[field] ?? server.byField[field];
  const existingCaseId = create.error?.code === 'case_exists' ? create.error.numberExtra('existing_case_id') : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!draft.kind) problems['subject.kind'] = 'Pick what the case is about';
    if (!draft.externalId.trim()) problems['subject.external_id'] = 'Enter the id the marketplace uses';
    if (!draft.market) problems['subject.market'] = 'Pick the market';
    if (!draft.policy) problems.policy = 'Pick the policy';
    if (draft.summary.length > 2000) problems.summary = 'At most 2000 characters';
    const badTag = draft.tags.map(tagProblem).find(Boolean);
    if (badTag) problems.tags = badTag;
    setLocal(problems);
    if (Object.keys(problems).length > 0 || !draft.kind || !draft.market || !draft.policy) return;

    const attributes: Record<string, unknown> = {};
    if (typeof draft.followers === 'number') attributes.followers = draft.followers;
    const body: CreateCaseRequest = {
      subject: {
        kind: draft.kind,
        external_id: draft.externalId.trim(),
        market: draft.market,
        display_name: draft.displayName.trim() || undefined,
        attributes,
      },
      policy: draft.policy,
      severity: draft.severity ?? undefined,
      summary: draft.summary.trim() || undefined,
      tags: draft.tags.map((tag) => tag.trim().toLowerCase()),
    };
    create.mutate(body, {
      onSuccess: (detail) => {
        notifySuccess(`Case #${detail.id} is open for ${detail.subject.display_name}.`, 'Case created');
        close();
        void navigate({ to: '/cases/$id', params: { id: String(detail.id) } });
      },
    });
  };

  const policyChoices = (policies.data ?? []).map((policy) => ({ value: policy.code, label: policy.name }));
  const chosenPolicy = policies.data?.find((policy) => policy.code === draft.policy);
  const genericError = create.error && create.error.errors.length === 0 && !existingCaseId ? create.error : null;

  return (
    <Modal opened={opened} onClose={close} title="New case" size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Open a case by hand, e.g. from an escalation outside Docket. Cases from risk rules appear on their own.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
            <Select
              label="Subject kind"
              placeholder="Seller, listing, …"
              data={subjectKinds.map((kind) => ({ value: kind, label: subjectKindLabels[kind] }))}
              value={draft.kind}
              onChange={(kind) => update({ kind: kind })}
              error={errorFor('subject.kind')}
              required
              data-autofocus
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label="External id"
              placeholder="e.g. shop-88231"
              value={draft.externalId}
              onChange={(event) => update({ externalId: event.currentTarget.value })}
              error={errorFor('subject.external_id')}
              required
            />
            <Select
              label="Market"
              placeholder="Market"
              data={marketChoices.map((market) => ({ value: market.code, label: `${market.code} · ${market.name}` }))}
              value={draft.market}
              onChange={(market) => update({ market })}
              error={errorFor('subject.market')}
              required
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label="Display name"
              placeholder="Optional: shop or creator name"
              value={draft.displayName}
              onChange={(event) => update({ displayName: event.currentTarget.value })}
            />
            <Select
              label="Policy"
              description="Sets the default severity and the SLA"
              placeholder="What may have been broken"
              data={policyChoices}
              value={draft.policy}
              onChange={(code) => {
                const policy = policies.data?.find((p) => p.code === code);
                update({ policy: code, ...(draft.severityTouched ? {} : { severity: policy?.default_severity ?? null }) });
              }}
              error={errorFor('policy')}
              required
              searchable
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label="Severity"
              placeholder="The policy's default"
              description={chosenPolicy ? `Default for this policy: ${severityLabels[chosenPolicy.default_severity]}` : 'The policy’s default unless you pick one'}
              data={severities.map((severity) => ({ value: severity, label: severityLabels[severity] }))}
              value={draft.severity}
              onChange={(severity) => update({ severity: severity, severityTouched: true })}
              error={errorFor('severity')}
              comboboxProps={{ withinPortal: true }}
            />
            <NumberInput
              label="Followers"
              description="Optional; raises the priority for wide reach"
              min={0}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              value={draft.followers}
              onChange={(value) => update({ followers: typeof value === 'number' ? value : '' })}
            />
            <TagsInput
              label="Tags"
              description="Enter after each tag"
              placeholder="e.g. brand-x"
              value={draft.tags}
              onChange={(tags) => update({ tags })}
              error={errorFor('tags')}
              splitChars={[',', ' ']}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <Textarea
            label="Summary"
            placeholder="What was reported, and where"
            autosize
            minRows={3}
            maxRows={8}
            value={draft.summary}
            onChange={(event) => update({ summary: event.currentTarget.value })}
            error={errorFor('summary')}
          />

          {existingCaseId !== undefined && (
            <Alert color="yellow" variant="light" title="This subject already has an open case for this policy" role="alert">
              <Text size="sm">
                New reports belong on the open case.{' '}
                <RouterAnchor to="/cases/$id" params={{ id: String(existingCaseId) }} fw={600} onClick={close}>
                  Open case #{existingCaseId}
                </RouterAnchor>
              </Text>
            </Alert>
          )}
          <FormProblem title={create.error?.title ?? 'Could not create the case'} detail={genericError?.detail} messages={server.other} />

          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create case
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
