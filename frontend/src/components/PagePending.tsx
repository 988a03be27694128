import { Center, Loader } from '@mantine/core';

/** While a page's code is still loading. */
export function PagePending() {
  return (
    <Center py="xl" aria-label="Loading page">
      <Loader size="sm" />
    </Center>
  );
}
