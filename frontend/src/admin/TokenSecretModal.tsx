import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { CreatedToken } from '../api/tokens';

interface TokenSecretModalProps {
  created: CreatedToken | null;
  onClose: () => void;
}

/**
 * The one and only time a token's secret is shown. It cannot be dismissed by
 * a stray click outside; the person closes it when they have copied it.
 */
export function TokenSecretModal({ created, onClose }: TokenSecretModalProps) {
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title="Copy your new API token"
      size="lg"
      centered
      closeOnClickOutside={false}
      closeOnEscape={false}
      data-testid="token-secret-modal"
    >
      {created && (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} title="This is the only time you will see it" role="alert">
            Copy the token now and store it in your secret manager. Docket keeps only a hash: the token will not be shown
            again. If it is lost, revoke it and create a new one.
          </Alert>
          <div>
            <Text size="sm" fw={500} mb={4}>
              Token “{created.token.name}”
            </Text>
            <Group gap="xs" wrap="nowrap" align="stretch">
              <Code
                block
                data-testid="token-secret"
                style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', fontSize: 'var(--mantine-font-size-sm)' }}
              >
                {created.secret}
              </Code>
              <CopyButton value={created.secret} timeout={2000}>
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
          <Text size="sm" c="dimmed">
            Clients send it as <Code>Authorization: Bearer &lt;token&gt;</Code>.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
