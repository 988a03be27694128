import { Button, Divider, Group, Modal, Stack } from '@mantine/core';
import type { WebhookWithSecret } from '../api/webhooks';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { SignatureHowTo } from './SignatureHowTo';

export interface RevealedSecret {
  webhook: WebhookWithSecret;
  /** True after a rotation: the old secret no longer signs anything. */
  rotated: boolean;
}

interface WebhookSecretModalProps {
  revealed: RevealedSecret | null;
  onClose: () => void;
}

/**
 * The one time an endpoint's signing secret is shown (on creation and on
 * rotation), with how receivers check signatures. Closed only on purpose.
 */
export function WebhookSecretModal({ revealed, onClose }: WebhookSecretModalProps) {
  return (
    <Modal
      opened={revealed !== null}
      onClose={onClose}
      title={revealed?.rotated ? 'Copy the new signing secret' : 'Copy the signing secret'}
      size="xl"
      centered
      closeOnClickOutside={false}
      closeOnEscape={false}
    >
      {revealed && (
        <Stack gap="md">
          <OneTimeSecret
            label={`Signing secret of “${revealed.webhook.name}”`}
            secret={revealed.webhook.secret}
            testId="webhook-secret"
            warning={
              revealed.rotated ? (
                <>
                  Deliveries are signed with this secret from now on; the old one no longer matches. Put it in the
                  receiver&apos;s configuration now: until then it will refuse deliveries, which Docket retries with back-off.
                  Docket will not show this secret again.
                </>
              ) : (
                <>
                  The receiver needs it to check that deliveries come from Docket. Store it in its configuration or your
                  secret manager now: Docket will not show it again. If it is lost, rotate the secret.
                </>
              )
            }
          />
          <Divider />
          <SignatureHowTo />
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
