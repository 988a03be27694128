import { Alert, Button, Chip, Group, Input, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { splitFieldErrors } from '../api/fieldErrors';
import { checkMarketSla, marketSlaInput, useUpdateMarketSla, weekdays, type MarketSla, type SlaClock } from '../api/markets';
import { FormProblem } from '../components/FormProblem';
import { utcOffsetLabel } from '../format/time';

export const BUSINESS_HOURS_HELP =
  "Business hours: SLA clocks only run during these hours in the market's time zone; new and reopened cases use the new setting.";

const formFields = ['sla_clock', 'business_days', 'business_start', 'business_end'];

interface MarketSlaFormProps {
  market: MarketSla;
  onDone: (saved: MarketSla) => void;
  onCancel: () => void;
  onReload: () => void;
}

function MarketSlaForm({ market, onDone, onCancel, onReload }: MarketSlaFormProps) {
  const update = useUpdateMarketSla(market.code);
  const [clock, setClock] = useState<SlaClock>(market.sla_clock === 'business' ? 'business' : 'calendar');
  const [days, setDays] = useState<string[]>((market.business_days.length ? market.business_days : [1, 2, 3, 4, 5]).map(String));
  const [start, setStart] = useState(market.business_start || '09:00');
  const [end, setEnd] = useState(market.business_end || '18:00');
  const [local, setLocal] = useState<Record<string, string>>({});

  const conflict = update.error?.code === 'version_conflict' ? update.error : null;
  const server = splitFieldErrors(conflict ? null : update.error, formFields);
  const errorFor = (field: string) => local[field] ?? server.byField[field];
  const genericError = update.error && !conflict && update.error.errors.length === 0 ? update.error : null;
  const offset = utcOffsetLabel(new Date(), market.timezone);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = marketSlaInput({ clock, days: days.map(Number), start, end, version: market.version });
    const problems = checkMarketSla(input);
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    update.mutate(input, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={`SLA clock of ${market.code}`}>
      <Stack gap="md">
        <Radio.Group
          label="SLA clock"
          value={clock}
          onChange={(value) => setClock(value === 'business' ? 'business' : 'calendar')}
          error={errorFor('sla_clock')}
        >
          <Stack gap="xs" mt={6}>
            <Radio value="calendar" label="Calendar hours" description="Clocks run around the clock, every day." />
            <Radio value="business" label="Business hours" description="Clocks run only on business days, between the hours below." />
          </Stack>
        </Radio.Group>

        {clock === 'business' && (
          <Stack gap="md" pl="lg" data-testid="business-hours">
            <Input.Wrapper label="Business days" error={errorFor('business_days')}>
              <Chip.Group multiple value={days} onChange={setDays}>
                <Group gap={6} mt={6}>
                  {weekdays.map((day) => (
                    <Chip key={day.value} value={String(day.value)} size="sm" aria-label={day.long}>
                      {day.short}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            </Input.Wrapper>
            <Group gap="md" align="flex-start">
              <TextInput
                label="Day starts"
                description="HH:MM, 24-hour"
                placeholder="09:00"
                value={start}
                onChange={(event) => setStart(event.currentTarget.value)}
                error={errorFor('business_start')}
                w={170}
                inputMode="numeric"
                autoComplete="off"
              />
              <TextInput
                label="Day ends"
                description="Up to 24:00"
                placeholder="18:00"
                value={end}
                onChange={(event) => setEnd(event.currentTarget.value)}
                error={errorFor('business_end')}
                w={170}
                inputMode="numeric"
                autoComplete="off"
              />
            </Group>
            <Text size="xs" c="dimmed">
              Times in {market.timezone}
              {offset ? ` (${offset})` : ''}.
            </Text>
          </Stack>
        )}

        <Text size="sm" c="dimmed" data-testid="business-hours-help">
          {BUSINESS_HOURS_HELP}
        </Text>

        {conflict && (
          <Alert color="orange" variant="light" title="This market changed since you opened it" role="alert" data-testid="market-conflict">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">Someone else saved its settings. Reload to see them, then make your change again.</Text>
              <Button
                size="compact-sm"
                variant="light"
                color="orange"
                leftSection={<IconRefresh size={14} aria-hidden />}
                onClick={() => {
                  update.reset();
                  onReload();
                }}
              >
                Reload
              </Button>
            </Stack>
          </Alert>
        )}
        <FormProblem title={update.error?.title ?? 'Could not save the market'} detail={genericError?.detail} messages={server.other} />

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending} disabled={conflict !== null}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface MarketSlaModalProps {
  market: MarketSla | null;
  onClose: () => void;
  onSaved: (saved: MarketSla) => void;
  onReload: () => void;
}

/** Edit a market's SLA clock: calendar hours, or business days and hours in its time zone. */
export function MarketSlaModal({ market, onClose, onSaved, onReload }: MarketSlaModalProps) {
  return (
    <Modal opened={market !== null} onClose={onClose} title={market ? `SLA clock · ${market.code} ${market.name}` : ''} size="lg" centered>
      {market && (
        <MarketSlaForm
          // A reload brings a new version: start again from what is saved now.
          key={`${market.code}:${market.version}`}
          market={market}
          onCancel={onClose}
          onReload={onReload}
          onDone={(saved) => {
            onClose();
            onSaved(saved);
          }}
        />
      )}
    </Modal>
  );
}
