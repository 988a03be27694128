import { Alert, Box, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertTriangle, IconClockPause } from '@tabler/icons-react';
import { useRouter, useSearch } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useLogin } from '../api/auth';
import type { ApiError } from '../api/errors';
import { sentence } from '../format/text';
import { BrandMark } from '../layout/BrandMark';
import { optionalString } from '../routing/search';
import { homePath, safeNextPath } from './access';

export interface LoginSearch {
  /** Where to go after logging in: the page that sent the person here. */
  next?: string | undefined;
}

export function parseLoginSearch(search: Record<string, unknown>): LoginSearch {
  const next = optionalString(search.next);
  return next ? { next } : {};
}

/** A countdown in whole seconds: `start(n)` sets it, it then drops by one each second down to 0. */
function useCountdown(): [number, (seconds: number) => void] {
  const [seconds, setSeconds] = useState(0);
  const running = seconds > 0;
  useEffect(() => {
    if (!running) return undefined;
    const id = window.setInterval(() => setSeconds((s) => Math.max(0, s - 1)), 1000);
    return () => window.clearInterval(id);
  }, [running]);
  return [seconds, setSeconds];
}

function LoginError({ error, secondsLeft }: { error: ApiError; secondsLeft: number }) {
  if (error.code === 'too_many_attempts') {
    return (
      <Alert color="orange" variant="light" icon={<IconClockPause size={18} aria-hidden />} role="alert" data-testid="login-error">
        {secondsLeft > 0
          ? `Too many attempts, try again in ${secondsLeft} s.`
          : 'Too many attempts. You can try again now.'}
      </Alert>
    );
  }
  let message: string;
  if (error.code === 'invalid_credentials') {
    message = error.detail ? sentence(error.detail) : 'Wrong email or password.';
  } else if (error.isNetworkError) {
    message = 'Cannot reach the Docket server. Check your connection and try again.';
  } else {
    message = error.detail ? `${error.title}: ${sentence(error.detail)}` : error.title;
  }
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} role="alert" data-testid="login-error">
      {message}
    </Alert>
  );
}

/** /login: a centred card outside the shell. Afterwards: `next`, or the person's first workspace. */
export function LoginPage() {
  useDocumentTitle('Sign in · Docket');
  const router = useRouter();
  const { next } = useSearch({ from: '/login' });
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});
  const [secondsLeft, startCountdown] = useCountdown();
  const throttled = secondsLeft > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: typeof missing = {};
    if (email.trim() === '') problems.email = 'Enter your email address';
    if (password === '') problems.password = 'Enter your password';
    setMissing(problems);
    if (problems.email || problems.password || throttled) return;

    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: (me) => {
          const target = safeNextPath(next) ?? homePath(me.permissions);
          void router.navigate({ href: target, replace: true });
        },
        onError: (error) => {
          startCountdown(error.code === 'too_many_attempts' ? (error.retryAfterSeconds ?? 60) : 0);
          if (error.code === 'invalid_credentials') setPassword('');
        },
      },
    );
  };

  return (
    <Box mih="100vh" bg="gray.0" py={64} px="md">
      <Center>
        <Stack w="100%" maw={400} gap="lg">
          <Center>
            <Box style={{ transform: 'scale(1.25)' }}>
              <BrandMark />
            </Box>
          </Center>
          <Paper withBorder radius="md" p="xl" shadow="xs" component="form" onSubmit={submit} noValidate aria-labelledby="login-title">
            <Stack gap="md">
              <div>
                <Title order={1} fz={22} id="login-title">
                  Sign in
                </Title>
                <Text size="sm" c="dimmed" mt={4}>
                  Case management and review queues for Trust &amp; Safety teams.
                </Text>
              </div>
              <TextInput
                label="Email"
                type="email"
                name="email"
                autoComplete="username"
                autoFocus
                required
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
                error={missing.email}
              />
              <PasswordInput
                label="Password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
                error={missing.password}
              />
              {login.error && <LoginError error={login.error} secondsLeft={secondsLeft} />}
              <Button type="submit" fullWidth loading={login.isPending} disabled={throttled}>
                Sign in
              </Button>
            </Stack>
          </Paper>
          <Text size="xs" c="dimmed" ta="center">
            No account? Ask a Docket admin to create one for you.
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
