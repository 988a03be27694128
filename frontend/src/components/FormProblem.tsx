import { Alert, List, Text } from '@mantine/core';
import { sentence } from '../format/text';

/**
 * The alert under a form for what the server refused that no field shows:
 * the problem's detail and any field errors the form has no input for.
 * Renders nothing when there is nothing to say.
 */
export function FormProblem({ title, detail, messages }: { title: string; detail?: string | null; messages: readonly string[] }) {
  if (!detail && messages.length === 0) return null;
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      {detail && <Text size="sm">{sentence(detail)}</Text>}
      {messages.length > 0 && (
        <List size="sm">
          {messages.map((message) => (
            <List.Item key={message}>{message}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
