import { Code, List, Stack, Text } from '@mantine/core';

/** A receiver's check of a delivery, in Node, for the "How to verify" box. */
export const verifySnippet = `import { createHmac, timingSafeEqual } from 'node:crypto';

// header: the Docket-Signature header; body: the raw request body, as received
const { t, v1 } = Object.fromEntries(header.split(',').map((part) => part.split('=')));
const expected = createHmac('sha256', secret).update(\`\${t}.\`).update(body).digest('hex');
const valid = v1?.length === expected.length
  && timingSafeEqual(Buffer.from(v1), Buffer.from(expected))
  && Math.abs(Date.now() / 1000 - Number(t)) < 300;`;

/** How a receiver checks that a delivery came from Docket, with the endpoint's signing secret. */
export function SignatureHowTo() {
  return (
    <Stack gap="xs" data-testid="signature-how-to">
      <Text size="sm" fw={600}>
        How to verify a delivery
      </Text>
      <Text size="sm">
        Every POST carries a <Code style={{ whiteSpace: 'nowrap' }}>Docket-Signature: t=&lt;unix time&gt;,v1=&lt;hex&gt;</Code> header,
        where <Code style={{ whiteSpace: 'nowrap' }}>v1 = hex(HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;"))</Code>.
      </Text>
      <List size="sm" spacing={2}>
        <List.Item>Sign the body exactly as received, before parsing it as JSON.</List.Item>
        <List.Item>Refuse old timestamps (say, over 5 minutes) so a captured request cannot be replayed.</List.Item>
        <List.Item>
          Retries and redeliveries repeat the same <Code>Docket-Event-Id</Code>: use it to ignore duplicates.
        </List.Item>
      </List>
      <Code block fz="xs">
        {verifySnippet}
      </Code>
    </Stack>
  );
}
