import { Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';

interface PageHeaderProps {
  title: string;
  description: string;
  /** Right-aligned controls or status, e.g. a badge. */
  aside?: React.ReactNode;
}

/** Title and one line of purpose at the top of every page; also names the browser tab. */
export function PageHeader({ title, description, aside }: PageHeaderProps) {
  useDocumentTitle(`${title} · Docket`);
  return (
    <Group justify="space-between" align="flex-start" mb="lg" gap="md">
      <Stack gap={4} maw={760}>
        <Title order={1} fz={26}>
          {title}
        </Title>
        <Text c="dimmed" size="sm">
          {description}
        </Text>
      </Stack>
      {aside}
    </Group>
  );
}
