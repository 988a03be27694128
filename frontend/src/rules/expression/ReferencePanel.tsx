import { Badge, Group, Paper, ScrollArea, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { memo } from 'react';
import classes from '../rules.module.css';
import { HighlightedCode } from './highlight';

export interface ReferenceItem {
  /** What is inserted (and shown). */
  code: string;
  type: string;
  description: string;
}

interface ReferenceGroup {
  title: string;
  note?: string;
  items: ReferenceItem[];
}

/** The environment of a rule expression, as the server's engine defines it (app/ruleexpr.go). */
export function referenceGroups(signalType: string): ReferenceGroup[] {
  const type = JSON.stringify(signalType);
  return [
    {
      title: 'Signal',
      note: 'The signal being evaluated.',
      items: [
        { code: 'signal.type', type: 'string', description: 'Its type, e.g. report.filed' },
        { code: 'signal.source', type: 'string', description: 'The system that sent it' },
        { code: 'signal.occurred_at', type: 'time', description: 'When it happened' },
        { code: 'signal.attributes["key"]', type: 'any', description: 'One of its attributes (nil when absent: use ??)' },
      ],
    },
    {
      title: 'Subject',
      note: 'Who or what the signal is about.',
      items: [
        { code: 'subject.kind', type: 'string', description: 'creator, seller, content, listing or livestream' },
        { code: 'subject.external_id', type: 'string', description: 'Its id upstream' },
        { code: 'subject.market', type: 'string', description: 'Market code, e.g. VN' },
        { code: 'subject.display_name', type: 'string', description: 'Its name as shown' },
        { code: 'subject.followers', type: 'int', description: 'Followers' },
        { code: 'subject.gmv_usd', type: 'int', description: 'Gross merchandise value, USD' },
        { code: 'subject.strikes', type: 'int', description: 'Violations decided against it' },
        { code: 'subject.age_days', type: 'float', description: 'Days since Docket first saw it' },
        { code: 'subject.attributes["key"]', type: 'any', description: 'One of its attributes' },
      ],
    },
    {
      title: 'Velocity',
      note: 'Over the subject’s stored signals. Arguments are quoted literals; windows like "30m", "24h", "7d", at most 30 days.',
      items: [
        { code: `count(${type}, "1h")`, type: 'int', description: 'Signals of a type in the window' },
        { code: `sum(${type}, "amount", "24h")`, type: 'float', description: 'Sum of a numeric attribute' },
        { code: `distinct(${type}, "reporter_id", "7d")`, type: 'int', description: 'Distinct values of an attribute' },
      ],
    },
    {
      title: 'Operators',
      items: [
        { code: 'and', type: 'bool', description: 'Both (also or, not)' },
        { code: '>=', type: 'bool', description: 'Compare (== != < <= > >=)' },
        { code: 'in ["a", "b"]', type: 'bool', description: 'One of a list' },
        { code: 'matches "^regex$"', type: 'bool', description: 'Regular expression match' },
        { code: 'contains "text"', type: 'bool', description: 'Also startsWith, endsWith' },
        { code: '?? 0', type: 'any', description: 'A default for nil' },
      ],
    },
    {
      title: 'Functions',
      items: [
        { code: 'len(x)', type: 'int', description: 'Length of a string, list or map' },
        { code: 'lower(s)', type: 'string', description: 'Lower case (also upper)' },
        { code: 'abs(n)', type: 'number', description: 'Absolute value' },
        { code: 'any(list, { # > 0 })', type: 'bool', description: 'Some element matches (also all, none)' },
        { code: 'filter(list, { # > 0 })', type: 'list', description: 'The elements that match' },
      ],
    },
  ];
}

interface ReferencePanelProps {
  /** The first signal type of the rule, used in the velocity snippets. */
  signalType: string;
  onInsert: (code: string) => void;
  disabled?: boolean;
}

/** What an expression can read and call; a click inserts it at the cursor. */
export const ReferencePanel = memo(function ReferencePanel({ signalType, onInsert, disabled = false }: ReferencePanelProps) {
  const groups = referenceGroups(signalType);
  return (
    <Paper withBorder radius="md" p="md" data-testid="expression-reference" component="aside" aria-label="Expression reference">
      <Title order={2} fz="md" mb={2}>
        Reference
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {disabled ? 'What an expression can use.' : 'Click to insert at the cursor. The expression must be true or false.'}
      </Text>
      <ScrollArea.Autosize mah="calc(100vh - 220px)" type="auto" scrollbars="y" offsetScrollbars="y">
        <Stack gap="md">
          {groups.map((group) => (
            <div key={group.title}>
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={2}>
                {group.title}
              </Text>
              {group.note && (
                <Text size="xs" c="dimmed" mb={4}>
                  {group.note}
                </Text>
              )}
              <Stack gap={2}>
                {group.items.map((item) => (
                  <UnstyledButton
                    key={item.code}
                    onClick={() => onInsert(item.code)}
                    disabled={disabled}
                    aria-label={`Insert ${item.code}`}
                    title={disabled ? undefined : `Insert ${item.code}`}
                    style={{ display: 'block', width: '100%', padding: '4px 6px', borderRadius: 'var(--mantine-radius-sm)', cursor: disabled ? 'default' : 'pointer' }}
                    className={classes.referenceItem}
                  >
                    <Group justify="space-between" gap={6} wrap="nowrap">
                      <Text component="code" size="xs" ff="monospace" style={{ whiteSpace: 'pre', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                        <HighlightedCode code={item.code} />
                      </Text>
                      <Badge size="xs" variant="default" radius="sm" tt="none" fw={500} style={{ flex: 'none' }}>
                        {item.type}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed" lh={1.3}>
                      {item.description}
                    </Text>
                  </UnstyledButton>
                ))}
              </Stack>
            </div>
          ))}
          <div>
            <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={4}>
              Example
            </Text>
            <Text component="pre" size="xs" ff="monospace" m={0} style={{ whiteSpace: 'pre-wrap' }}>
              <HighlightedCode code={'signal.type == "report.filed"\n  and count("report.filed", "1h") >= 10\n  and subject.followers > 10000'} />
            </Text>
          </div>
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
});
