import { Anchor, Table, Text } from '@mantine/core';
import { useState } from 'react';

/** A value a rule read, as one short line: numbers grouped, strings as they are, the rest as JSON. */
export function formatReadValue(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'number') return Number.isInteger(value) ? new Intl.NumberFormat('en').format(value) : String(Math.round(value * 1000) / 1000);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a rule read as flat (expression-like path, value) pairs. The server
 * nests them (`{velocity: {'count("a", "1h")': 3}, signal: {type, attributes:
 * {...}}, subject: {...}}`); flat maps are taken as they are. Velocity calls
 * keep their own text as the key; attributes read as `signal.attributes["key"]`.
 */
export function flattenReadValues(values: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (prefix: string, value: Record<string, unknown>, inAttributes: boolean) => {
    for (const [key, inner] of Object.entries(value)) {
      const path = prefix === '' ? key : inAttributes ? `${prefix}[${JSON.stringify(key)}]` : `${prefix}.${key}`;
      if (prefix === '' && key === 'velocity' && isPlainObject(inner)) {
        for (const [call, answer] of Object.entries(inner)) out.push([call, answer]);
      } else if (isPlainObject(inner) && !inAttributes) {
        walk(path, inner, key === 'attributes');
      } else {
        out.push([path, inner]);
      }
    }
  };
  walk('', values, false);
  return out;
}

const isVelocity = (key: string) => /^(count|sum|distinct)\(/.test(key);

/** The pairs in a stable order: velocity calls first (they decide most hits), then the rest by path. */
function orderedEntries(values: Record<string, unknown>): [string, unknown][] {
  return flattenReadValues(values).sort(([a], [b]) => Number(isVelocity(b)) - Number(isVelocity(a)) || a.localeCompare(b));
}

/**
 * Whether a value is worth showing up front. Velocity answers always are.
 * With the expression at hand: what it mentions (a field path, or an
 * attribute's quoted name). Without: the signal's attributes; the rest
 * (type, source, time, the subject's figures) is context shown elsewhere.
 */
export function isRelevantValue(key: string, expression: string | undefined): boolean {
  if (isVelocity(key)) return true;
  const attribute = /^(signal|subject)\.attributes\[("(?:[^"\\]|\\.)*")\]$/.exec(key);
  if (expression === undefined) return attribute !== null && key.startsWith('signal.');
  if (attribute) {
    const name = JSON.parse(attribute[2]!) as string;
    return expression.includes(JSON.stringify(name)) || expression.includes(`'${name}'`);
  }
  return expression.includes(key);
}

/**
 * What a rule's expression read when it was evaluated (velocity answers,
 * attributes) as a small key/value table: the evidence of why it hit. The
 * values the expression used come first; the rest of what was recorded is one
 * click away.
 */
export function ValuesTable({
  values,
  expression,
  testId = 'hit-values',
  empty = 'Nothing recorded',
}: {
  values: Record<string, unknown>;
  /** The expression that read them, to pick the values it used. */
  expression?: string | undefined;
  testId?: string;
  empty?: string;
}) {
  const [expanded, setExpanded] = useState(false);
  const entries = orderedEntries(values);
  if (entries.length === 0) {
    return (
      <Text size="xs" c="dimmed" data-testid={testId}>
        {empty}
      </Text>
    );
  }
  const relevant = entries.filter(([key]) => isRelevantValue(key, expression));
  const primary = relevant.length > 0 ? relevant : entries;
  const shown = expanded ? entries : primary;
  const hidden = entries.length - primary.length;
  return (
    <div data-testid={testId}>
      <Table withRowBorders={false} verticalSpacing={1} horizontalSpacing={6} fz="xs" style={{ width: 'auto' }}>
        <Table.Tbody>
          {shown.map(([key, value]) => {
            const text = formatReadValue(value);
            return (
              <Table.Tr key={key}>
                <Table.Td pl={0} c="dimmed" ff="monospace" style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                  {key}
                </Table.Td>
                {/* Numbers and short words never break; long text wraps. */}
                <Table.Td ff="monospace" fw={600} style={{ whiteSpace: text.length <= 24 ? 'nowrap' : 'normal', wordBreak: 'break-word', fontVariantNumeric: 'tabular-nums' }}>
                  {text}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {hidden > 0 && (
        <Anchor component="button" type="button" size="xs" c="dimmed" onClick={() => setExpanded((open) => !open)} aria-expanded={expanded}>
          {expanded ? 'Show less' : `+ ${hidden} more recorded`}
        </Anchor>
      )}
    </div>
  );
}
