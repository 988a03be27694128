import { Box, Code, SimpleGrid, Text } from '@mantine/core';
import { changedArrayItems, changedTopLevelKeys, isJsonObject } from './jsonDiff';

const paneStyle: React.CSSProperties = {
  margin: 0,
  padding: '8px 0',
  fontFamily: 'var(--mantine-font-family-monospace)',
  fontSize: 'var(--mantine-font-size-xs)',
  lineHeight: 1.55,
  background: 'var(--mantine-color-gray-0)',
  border: '1px solid var(--mantine-color-gray-3)',
  borderRadius: 'var(--mantine-radius-sm)',
  overflow: 'auto',
  maxHeight: 420,
};

function indentNested(json: string): string {
  return json.split('\n').join('\n  ');
}

interface JsonPaneProps {
  label: string;
  value: unknown;
  /** Top-level keys (objects) or item indexes (lists) to mark. */
  changed: Set<string> | Set<number>;
  tone: 'red' | 'green';
  missing: string;
}

function Line({ highlighted, tone, children }: { highlighted: boolean; tone: 'red' | 'green'; children: React.ReactNode }) {
  return (
    <div
      data-changed={highlighted || undefined}
      style={{
        padding: '0 12px 0 9px',
        whiteSpace: 'pre',
        borderLeft: `3px solid ${highlighted ? `var(--mantine-color-${tone}-5)` : 'transparent'}`,
        background: highlighted ? `var(--mantine-color-${tone}-0)` : undefined,
      }}
    >
      {children}
    </div>
  );
}

function JsonPane({ label, value, changed, tone, missing }: JsonPaneProps) {
  let body: React.ReactNode;
  if (value === null || value === undefined) {
    body = (
      <Text size="xs" c="dimmed" px="sm" py={4} fs="italic">
        {missing}
      </Text>
    );
  } else if (isJsonObject(value)) {
    const keys = Object.keys(value);
    body = (
      <>
        <div style={{ padding: '0 12px' }}>{'{'}</div>
        {keys.map((key, index) => (
          <Line key={key} highlighted={(changed as Set<string>).has(key)} tone={tone}>
            {'  '}
            <span style={{ color: 'var(--mantine-color-indigo-8)' }}>{JSON.stringify(key)}</span>
            {': '}
            {indentNested(JSON.stringify(value[key], null, 2))}
            {index < keys.length - 1 ? ',' : ''}
          </Line>
        ))}
        <div style={{ padding: '0 12px' }}>{'}'}</div>
      </>
    );
  } else if (Array.isArray(value)) {
    const items = value as unknown[];
    body = (
      <>
        <div style={{ padding: '0 12px' }}>{'['}</div>
        {items.map((item, index) => (
          <Line key={index} highlighted={(changed as Set<number>).has(index)} tone={tone}>
            {'  '}
            {indentNested(JSON.stringify(item, null, 2))}
            {index < items.length - 1 ? ',' : ''}
          </Line>
        ))}
        <div style={{ padding: '0 12px' }}>{']'}</div>
      </>
    );
  } else {
    body = <div style={{ padding: '0 12px', whiteSpace: 'pre' }}>{JSON.stringify(value, null, 2)}</div>;
  }
  return (
    <div>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4}>
        {label}
      </Text>
      <Box component="pre" style={paneStyle} data-testid={`json-${label.toLowerCase()}`}>
        {body}
      </Box>
    </div>
  );
}

/**
 * Before and after side by side, pretty-printed, with the changed top-level
 * keys marked (for lists, such as a user's grants: the items removed and added).
 */
export function JsonDiffView({ before, after }: { before: unknown; after: unknown }) {
  const changed = changedTopLevelKeys(before, after);
  const lists = Array.isArray(before) && Array.isArray(after) ? changedArrayItems(before, after) : null;
  return (
    <div>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <JsonPane
          label="Before"
          value={before}
          changed={lists ? lists.removed : changed}
          tone="red"
          missing="Nothing: the object did not exist before."
        />
        <JsonPane
          label="After"
          value={after}
          changed={lists ? lists.added : changed}
          tone="green"
          missing="Nothing: the object no longer exists."
        />
      </SimpleGrid>
      {changed.size > 0 && before != null && after != null && (
        <Text size="xs" c="dimmed" mt={6}>
          Changed: {[...changed].map((key, i) => (
            <span key={key}>
              {i > 0 && ', '}
              <Code fz="xs">{key}</Code>
            </span>
          ))}
        </Text>
      )}
    </div>
  );
}
