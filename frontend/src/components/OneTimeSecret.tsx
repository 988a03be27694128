import { Alert, Button, Code, CopyButton, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';

interface OneTimeSecretProps {
  /** What it is, above the value: "Token “Refund-spike detector”". */
  label: string;
  secret: string;
  /** Why it is shown only now and what to do if it is lost. */
  warning: React.ReactNode;
  testId: string;
}

/** A secret shown once: the warning that it will not be shown again, the value and a Copy button. */
export function OneTimeSecret({ label, secret, warning, testId }: OneTimeSecretProps) {
  return (
    <>
      <Alert
        color="orange"
        variant="light"
        icon={<IconAlertTriangle size={18} aria-hidden />}
        title="This is the only time you will see it"
        role="alert"
      >
        {warning}
      </Alert>
      <div>
        <Text size="sm" fw={500} mb={4}>
          {label}
        </Text>
        <Group gap="xs" wrap="nowrap" align="stretch">
          <Code
            block
            data-testid={testId}
            style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', fontSize: 'var(--mantine-font-size-sm)' }}
          >
            {secret}
          </Code>
          <CopyButton value={secret} timeout={2000}>
            {({ copied, copy }) => (
              <Button
                variant={copied ? 'light' : 'filled'}
                color={copied ? 'teal' : undefined}
                leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                onClick={copy}
                h="auto"
                miw={104}
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </div>
    </>
  );
}
