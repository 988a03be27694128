import { Badge, Group, Text } from '@mantine/core';
import type { Grant } from '../api/auth';
import { formatRoleMarkets, rolesByMarket } from '../auth/access';

export const roleColors: Record<string, string> = {
  admin: 'grape',
  lead: 'indigo',
  reviewer: 'blue',
  analyst: 'cyan',
  auditor: 'teal',
  qa: 'orange',
};

/** One compact badge per role, with the markets it is held in: "lead · TH, VN". */
export function RoleBadges({ grants }: { grants: readonly Grant[] }) {
  const roles = rolesByMarket(grants);
  if (roles.length === 0) {
    return (
      <Text span size="sm" c="dimmed">
        No roles
      </Text>
    );
  }
  return (
    <Group gap={4}>
      {roles.map((role) => (
        <Badge key={role.role} variant="light" color={roleColors[role.role] ?? 'gray'} size="sm" radius="sm">
          {formatRoleMarkets(role)}
        </Badge>
      ))}
    </Group>
  );
}
