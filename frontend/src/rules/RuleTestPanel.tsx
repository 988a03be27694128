import { Alert, Badge, Button, Collapse, Group, JsonInput, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconFlask } from '@tabler/icons-react';
import { useState } from 'react';
import { useTestRule, type RuleTestRequest } from '../api/rules';
import { ProblemAlert } from '../components/ProblemAlert';
import { ValuesTable } from '../components/ValuesTable';
import { sentence } from '../format/text';
import { ExpressionDiagnostics } from './expression/ExpressionDiagnostics';

const subjectKinds = ['listing', 'seller', 'creator', 'content', 'livestream'];

/** A JSON object typed by hand: the object, or why it is not one. */
export function parseAttributes(text: string): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { value: {} };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'Attributes are a JSON object, like {"amount": 120}' };
    return { value: parsed as Record<string, unknown> };
  } catch (cause) {
    return { error: `Not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
}

interface RuleTestPanelProps {
  expression: string;
  /** The velocity calls the expression makes (from validation): one input each. */
  velocity: readonly string[];
  signalTypes: readonly string[];
  markets: readonly string[];
}

/** "Test against a sample signal": evaluate the expression in the editor on a signal and subject typed here. Nothing is stored. */
export function RuleTestPanel({ expression, velocity, signalTypes, markets }: RuleTestPanelProps) {
  const [opened, setOpened] = useState(false);
  const test = useTestRule();
  const [signalType, setSignalType] = useState('');
  const [source, setSource] = useState('manual-test');
  const [attributes, setAttributes] = useState('{}');
  const [kind, setKind] = useState<string>('listing');
  const [market, setMarket] = useState('');
  const [externalId, setExternalId] = useState('sample-1');
  const [followers, setFollowers] = useState<number>(0);
  const [gmv, setGmv] = useState<number>(0);
  const [strikes, setStrikes] = useState<number>(0);
  const [ageDays, setAgeDays] = useState<number>(30);
  const [subjectAttributes, setSubjectAttributes] = useState('{}');
  const [velocityValues, setVelocityValues] = useState<Record<string, number>>({});
  const [problems, setProblems] = useState<{ attributes?: string; subjectAttributes?: string }>({});

  const effectiveType = signalType || signalTypes[0] || '';
  const effectiveMarket = market || markets[0] || '';

  const run = () => {
    const signalAttrs = parseAttributes(attributes);
    const subjectAttrs = parseAttributes(subjectAttributes);
    const next = {
      attributes: 'error' in signalAttrs ? signalAttrs.error : undefined,
      subjectAttributes: 'error' in subjectAttrs ? subjectAttrs.error : undefined,
    };
    setProblems(next);
    if ('error' in signalAttrs || 'error' in subjectAttrs) return;
    const body: RuleTestRequest = {
      expression,
      signal: { type: effectiveType, source: source.trim() || 'manual-test', occurred_at: new Date().toISOString(), attributes: signalAttrs.value },
      subject: {
        kind,
        external_id: externalId,
        market: effectiveMarket,
        display_name: 'Sample subject',
        followers,
        gmv_usd: gmv,
        strikes,
        age_days: ageDays,
        attributes: subjectAttrs.value,
      },
      velocity: Object.fromEntries(velocity.map((call) => [call, velocityValues[call] ?? 0])),
    };
    test.mutate(body);
  };

  const result = test.data;
  const toNumber = (value: string | number) => (typeof value === 'number' ? value : Number(value) || 0);

  return (
    <Paper withBorder radius="md" p="md" data-testid="rule-test-panel">
      <Group justify="space-between" gap="sm">
        <Button
          variant="subtle"
          color="dark"
          px={0}
          leftSection={opened ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
          onClick={() => setOpened((open) => !open)}
          aria-expanded={opened}
          aria-controls="rule-test-body"
        >
          <Title order={2} fz="md" component="span">
            Test against a sample signal
          </Title>
        </Button>
        {!opened && (
          <Text size="xs" c="dimmed">
            Evaluate the expression on a signal you describe, with velocity answers of your choosing.
          </Text>
        )}
      </Group>
      <Collapse expanded={opened} id="rule-test-body" keepMounted={false}>
        <Stack gap="sm" mt="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label="Signal type"
              data={signalTypes.length > 0 ? [...signalTypes] : []}
              value={effectiveType || null}
              onChange={(value) => setSignalType(value ?? '')}
              placeholder={signalTypes.length ? undefined : 'Add signal types to the rule first'}
              allowDeselect={false}
              searchable
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput label="Source" value={source} onChange={(event) => setSource(event.currentTarget.value)} />
          </SimpleGrid>
          <JsonInput
            label="Signal attributes"
            description={'A JSON object, e.g. {"amount": 120, "reason": "counterfeit"}'}
            value={attributes}
            onChange={setAttributes}
            error={problems.attributes}
            validationError="Not valid JSON"
            formatOnBlur
            autosize
            minRows={2}
            maxRows={8}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          />
          <Text size="sm" fw={600} mt={4}>
            Subject
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <Select label="Kind" data={subjectKinds} value={kind} onChange={(value) => setKind(value ?? 'listing')} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
            <Select
              label="Market"
              data={markets.length ? [...markets] : []}
              value={effectiveMarket || null}
              onChange={(value) => setMarket(value ?? '')}
              placeholder={markets.length ? undefined : 'Pick markets first'}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput label="External id" value={externalId} onChange={(event) => setExternalId(event.currentTarget.value)} />
            <NumberInput label="Age (days)" value={ageDays} onChange={(value) => setAgeDays(toNumber(value))} min={0} decimalScale={1} />
            <NumberInput label="Followers" value={followers} onChange={(value) => setFollowers(toNumber(value))} min={0} allowDecimal={false} thousandSeparator="," />
            <NumberInput label="GMV (USD)" value={gmv} onChange={(value) => setGmv(toNumber(value))} min={0} allowDecimal={false} thousandSeparator="," />
            <NumberInput label="Strikes" value={strikes} onChange={(value) => setStrikes(toNumber(value))} min={0} allowDecimal={false} />
          </SimpleGrid>
          <JsonInput
            label="Subject attributes"
            value={subjectAttributes}
            onChange={setSubjectAttributes}
            error={problems.subjectAttributes}
            validationError="Not valid JSON"
            formatOnBlur
            autosize
            minRows={1}
            maxRows={6}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          />
          <Text size="sm" fw={600} mt={4}>
            Velocity
          </Text>
          {velocity.length === 0 ? (
            <Text size="xs" c="dimmed">
              The expression makes no velocity calls (count, sum, distinct), or it does not compile yet.
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" data-testid="velocity-inputs">
              {velocity.map((call) => (
                <NumberInput
                  key={call}
                  label={
                    <Text span size="sm" ff="monospace">
                      {call}
                    </Text>
                  }
                  aria-label={call}
                  value={velocityValues[call] ?? 0}
                  onChange={(value) => setVelocityValues((current) => ({ ...current, [call]: toNumber(value) }))}
                  min={0}
                  allowDecimal={call.startsWith('sum(')}
                />
              ))}
            </SimpleGrid>
          )}
          <Group gap="sm">
            <Button leftSection={<IconFlask size={16} aria-hidden />} onClick={run} loading={test.isPending} disabled={expression.trim() === '' || effectiveType === ''}>
              Run test
            </Button>
            {result && !test.isPending && <TestVerdict hit={result.hit} error={result.error} valid={result.valid} />}
          </Group>
          {test.error && <ProblemAlert error={test.error} heading="The test could not run" />}
          {result && !result.valid && <ExpressionDiagnostics id="rule-test-errors" source={expression} errors={result.errors} />}
          {result?.error && (
            <Alert color="red" variant="light" title="The expression failed while evaluating" data-testid="test-eval-error">
              <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {sentence(result.error)}
              </Text>
            </Alert>
          )}
          {result && result.valid && (
            <div>
              <Text size="xs" fw={600} c="dimmed" mb={2}>
                Values read
              </Text>
              <ValuesTable values={result.values} expression={expression} testId="test-values" />
            </div>
          )}
        </Stack>
      </Collapse>
    </Paper>
  );
}

function TestVerdict({ hit, error, valid }: { hit: boolean | null; error: string; valid: boolean }) {
  if (!valid) {
    return (
      <Badge color="red" variant="light" size="lg" data-testid="test-verdict" data-verdict="invalid">
        Does not compile
      </Badge>
    );
  }
  if (error || hit === null) {
    return (
      <Badge color="red" variant="light" size="lg" data-testid="test-verdict" data-verdict="error">
        Error
      </Badge>
    );
  }
  return hit ? (
    <Badge color="green" variant="filled" size="lg" data-testid="test-verdict" data-verdict="hit">
      Hit: true
    </Badge>
  ) : (
    <Badge color="gray" variant="light" size="lg" data-testid="test-verdict" data-verdict="no-hit">
      No hit: false
    </Badge>
  );
}
