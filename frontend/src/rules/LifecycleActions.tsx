import { Alert, Button, Group, List, Modal, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconEye, IconPlayerPause, IconRocket } from '@tabler/icons-react';
import { useState } from 'react';
import { notifySuccess } from '../api/notify';
import { useUpdateRule, type Rule } from '../api/rules';
import { useMarketList } from '../api/system';
import { sentence } from '../format/text';
import { ruleStatusDescriptions, ruleStatusLabels } from './labels';
import { lifecycleActions, lifecycleTargets, ruleInputWithStatus, type RuleLifecycleAction } from './ruleForm';

const buttons: Record<RuleLifecycleAction, { label: string; color: string; variant: 'filled' | 'default' | 'light'; icon: typeof IconEye }> = {
  shadow: { label: 'Move to shadow', color: 'violet', variant: 'light', icon: IconEye },
  publish: { label: 'Publish (make live)', color: 'green', variant: 'filled', icon: IconRocket },
  disable: { label: 'Disable', color: 'gray', variant: 'default', icon: IconPlayerPause },
};

const defaultNotes: Record<RuleLifecycleAction, string> = {
  shadow: 'Moved to shadow',
  publish: 'Published',
  disable: 'Disabled',
};

interface LifecycleActionsProps {
  rule: Rule;
  /** The editor holds unsaved changes: a lifecycle change would not include them, so it waits. */
  dirty: boolean;
  onChanged: (rule: Rule) => void;
  /** Loads the rule again after a 409 version_conflict. */
  onReload: () => void;
}

/**
 * Move to shadow / Publish (make live) / Disable: each saves the rule's
 * current content as a new version with the new status, after a dialog
 * that says what will happen (publishing names the markets).
 */
export function LifecycleActions({ rule, dirty, onChanged, onReload }: LifecycleActionsProps) {
  const actions = lifecycleActions(rule);
  const [open, setOpen] = useState<RuleLifecycleAction | null>(null);
  if (actions.length === 0) return null;
  return (
    <>
      <Group gap="sm" data-testid="lifecycle-actions">
        {actions.map((action) => {
          const { label, color, variant, icon: Icon } = buttons[action];
          const button = (
            <Button key={action} color={color} variant={variant} leftSection={<Icon size={16} aria-hidden />} disabled={dirty} onClick={() => setOpen(action)}>
              {label}
            </Button>
          );
          return dirty ? (
            <Tooltip key={action} label="Save or discard your changes to the definition first" withArrow>
              <span>{button}</span>
            </Tooltip>
          ) : (
            button
          );
        })}
      </Group>
      {open && (
        <LifecycleModal
          key={open}
          rule={rule}
          action={open}
          onClose={() => setOpen(null)}
          onChanged={(saved) => {
            setOpen(null);
            onChanged(saved);
          }}
          onReload={() => {
            setOpen(null);
            onReload();
          }}
        />
      )}
    </>
  );
}

function marketNames(codes: readonly string[], markets: readonly { code: string; name: string }[] | undefined): string[] {
  return [...codes].sort().map((code) => {
    const market = markets?.find((m) => m.code === code);
    return market ? `${market.name} (${code})` : code;
  });
}

function LifecycleModal({
  rule,
  action,
  onClose,
  onChanged,
  onReload,
}: {
  rule: Rule;
  action: RuleLifecycleAction;
  onClose: () => void;
  onChanged: (rule: Rule) => void;
  onReload: () => void;
}) {
  const update = useUpdateRule(rule.id);
  const markets = useMarketList();
  const [note, setNote] = useState(defaultNotes[action]);
  const target = lifecycleTargets[action];
  const names = marketNames(rule.markets, markets.data);
  const error = update.error;

  const confirm = () =>
    update.mutate(
      { ...ruleInputWithStatus(rule, target, note), version: rule.version },
      {
        onSuccess: (saved) => {
          notifySuccess(`“${saved.name}” is ${ruleStatusLabels[saved.status].toLowerCase()} as version ${saved.version}.`, `Rule ${action === 'publish' ? 'published' : ruleStatusLabels[saved.status].toLowerCase()}`);
          onChanged(saved);
        },
      },
    );

  const title = action === 'publish' ? `Publish “${rule.name}”?` : action === 'shadow' ? `Move “${rule.name}” to shadow?` : `Disable “${rule.name}”?`;

  return (
    <Modal opened onClose={onClose} title={title} centered size="md">
      <Stack gap="md">
        {action === 'publish' && (
          <>
            <Text size="sm">
              From now on, every matching signal in these markets opens or joins a case ({rule.severity} severity), which reviewers will work:
            </Text>
            <List size="sm" data-testid="publish-markets">
              {names.map((name) => (
                <List.Item key={name}>{name}</List.Item>
              ))}
            </List>
            <Text size="sm" c="dimmed">
              Version {rule.version} is published as version {rule.version + 1}; you can disable it at any time.
            </Text>
          </>
        )}
        {action === 'shadow' && (
          <Text size="sm">
            {ruleStatusDescriptions.shadow} {rule.status === 'live' ? 'Cases it already opened stay as they are.' : 'Use it to see how often it would hit before publishing.'}
          </Text>
        )}
        {action === 'disable' && (
          <Text size="sm">
            {ruleStatusDescriptions.disabled} {rule.status === 'live' ? `It stops opening cases in ${names.join(', ')}; cases it already opened stay as they are.` : ''}
          </Text>
        )}
        <TextInput label="Change note" value={note} onChange={(event) => setNote(event.currentTarget.value)} maxLength={500} data-autofocus />

        {error?.code === 'version_conflict' && (
          <Alert color="orange" variant="light" title="This rule changed since you opened it" role="alert">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">Someone saved a newer version. Reload to see it, then decide again.</Text>
              <Button size="compact-sm" variant="light" color="orange" onClick={onReload}>
                Reload
              </Button>
            </Stack>
          </Alert>
        )}
        {error?.code === 'publish_required' && (
          <Alert color="red" variant="light" title="You may not make this change" role="alert" data-testid="publish-required">
            <Text size="sm">
              Making a rule live, or changing or disabling a live one, needs the rule.publish permission in every market of the rule. Ask a lead
              of {rule.markets.join(', ')}.
            </Text>
          </Alert>
        )}
        {error && error.code !== 'version_conflict' && error.code !== 'publish_required' && (
          <Alert color="red" variant="light" title={error.title} role="alert">
            <Text size="sm">{error.detail ? sentence(error.detail) : 'The change was not saved.'}</Text>
            {error.errors.length > 0 && (
              <List size="sm" mt={4}>
                {error.errors.map((fieldError) => (
                  <List.Item key={`${fieldError.field}:${fieldError.code}`}>
                    {fieldError.field}: {sentence(fieldError.message)}
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button color={buttons[action].color} onClick={confirm} loading={update.isPending} disabled={error?.code === 'version_conflict'}>
            {action === 'publish' ? 'Publish' : buttons[action].label}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
