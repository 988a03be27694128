import { Text, Tooltip } from '@mantine/core';
import { useMe } from '../api/auth';
import { useUser } from '../api/users';
import { hasAnyPermission } from '../auth/access';

/**
 * An actor id such as `user:1`, named by the label the server recorded with
 * it when there is one, else by the user's email when the viewer may read
 * users (the lookup is cached per user); otherwise the id as it is.
 */
export function ActorName({ actor, label }: { actor: string | undefined; label?: string }) {
  const me = useMe();
  const userId = /^user:(\d+)$/.exec(actor ?? '')?.[1];
  const canLookUp = !label && userId !== undefined && hasAnyPermission(me.permissions, ['user.manage']);
  const user = useUser(canLookUp ? Number(userId) : 0);
  if (!actor) {
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const name = label || user.data?.email;
  if (name) {
    return (
      <Tooltip label={actor} openDelay={300}>
        <Text span size="sm">
          {name}
        </Text>
      </Tooltip>
    );
  }
  return (
    <Text span size="sm" ff="monospace">
      {actor}
    </Text>
  );
}
