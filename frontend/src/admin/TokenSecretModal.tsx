import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import type { CreatedToken } from '../api/tokens';
import { OneTimeSecret } from '../components/OneTimeSecret';

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
          <OneTimeSecret
            label={`Token “${created.token.name}”`}
            secret={created.secret}
            testId="token-secret"
            warning={
              <>
                Copy the token now and store it in your secret manager. Docket keeps only a hash: the token will not be
                shown again. If it is lost, revoke it and create a new one.
              </>
            }
          />
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
