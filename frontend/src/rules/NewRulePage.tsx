import { Button, Group, Stack, Text } from '@mantine/core';
import { IconDeviceFloppy, IconEye } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useMemo, useState } from 'react';
import { useMe } from '../api/auth';
import { notifySuccess } from '../api/notify';
import { useCreateRule, type RuleStatus } from '../api/rules';
import { marketsWith } from '../auth/access';
import { PageHeader } from '../components/PageHeader';
import { BackToRules } from './BackToRules';
import { ruleStatusDescriptions } from './labels';
import { RuleEditor, type UpdateRuleForm } from './RuleEditor';
import { checkRuleForm, emptyRuleForm, flaggedProblems, ruleInputOf, type RuleForm, type RuleFormField } from './ruleForm';

/** A person with rule.write in exactly one market starts with that market chosen. */
function initialForm(writable: readonly string[]): RuleForm {
  const form = emptyRuleForm();
  if (writable.length === 1 && writable[0] !== '*') form.markets = [writable[0]!];
  return form;
}

/** /rules/new: write a rule and save it as a draft or in shadow. */
export function NewRulePage() {
  const me = useMe();
  const navigate = useNavigate();
  const create = useCreateRule();
  const [form, setForm] = useState<RuleForm>(() => initialForm(marketsWith(me.permissions, 'rule.write')));
  // The fields that failed the check at the last save attempt; their problems show until fixed.
  const [flagged, setFlagged] = useState<RuleFormField[]>([]);
  const local = useMemo(() => flaggedProblems(form, flagged), [form, flagged]);
  const update = useCallback<UpdateRuleForm>((patch) => setForm((current) => ({ ...current, ...patch })), []);
  const [sent, setSent] = useState<{ status: RuleStatus; expression: string } | null>(null);

  const save = (status: RuleStatus) => {
    const problems = checkRuleForm(form);
    setFlagged(Object.keys(problems) as RuleFormField[]);
    if (Object.keys(problems).length > 0) return;
    setSent({ status, expression: form.expression });
    create.mutate(ruleInputOf(form, status), {
      onSuccess: (rule) => {
        notifySuccess(`“${rule.name}” is saved as version 1 (${status === 'shadow' ? 'in shadow' : 'draft'}).`, 'Rule created');
        void navigate({ to: '/rules/$id', params: { id: String(rule.id) } });
      },
    });
  };

  return (
    <Stack gap="md">
      <BackToRules />
      <PageHeader title="New rule" description="An expression over incoming signals that opens a case when it is true. Save it as a draft, or in shadow to see how it would do." />
      <RuleEditor
        form={form}
        update={update}
        readOnly={false}
        localProblems={local}
        saveError={create.error}
        savedExpression={sent?.expression ?? null}
        actions={
          <Group justify="space-between" align="flex-end" gap="sm">
            <Stack gap={0} maw={520}>
              <Text size="xs" c="dimmed">
                <b>Draft:</b> {ruleStatusDescriptions.draft}
              </Text>
              <Text size="xs" c="dimmed">
                <b>Shadow:</b> {ruleStatusDescriptions.shadow}
              </Text>
            </Stack>
            <Group gap="sm">
              <Button
                variant="default"
                leftSection={<IconDeviceFloppy size={16} aria-hidden />}
                onClick={() => save('draft')}
                loading={create.isPending && sent?.status === 'draft'}
                disabled={create.isPending}
              >
                Save draft
              </Button>
              <Button
                color="violet"
                leftSection={<IconEye size={16} aria-hidden />}
                onClick={() => save('shadow')}
                loading={create.isPending && sent?.status === 'shadow'}
                disabled={create.isPending}
              >
                Save in shadow
              </Button>
            </Group>
          </Group>
        }
      />
    </Stack>
  );
}
