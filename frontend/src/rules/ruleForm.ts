import type { Severity } from '../api/cases';
import type { ApiError } from '../api/errors';
import { splitFieldErrors } from '../api/fieldErrors';
import { expressionErrorsOf, type ExpressionError, type Rule, type RuleInput, type RuleStatus, type RuleVersion } from '../api/rules';
import { severities } from '../cases/filters';

/** The rule editor's fields as the person edits them. */
export interface RuleForm {
  name: string;
  description: string;
  markets: string[];
  signalTypes: string[];
  expression: string;
  policy: string | null;
  severity: Severity | null;
  priorityBoost: number;
  queueId: number | null;
  autoTriage: boolean;
  /** What changed, kept with the version; starts empty for every save. */
  note: string;
}

/** The fields of the form, by the names the API gives them in `errors[].field`. */
export const ruleFormFields = [
  'name',
  'description',
  'markets',
  'signal_types',
  'expression',
  'policy',
  'severity',
  'priority_boost',
  'queue_id',
  'auto_triage',
  'note',
  'status',
] as const;
export type RuleFormField = (typeof ruleFormFields)[number];

export const MAX_PRIORITY_BOOST = 500;
export const MAX_SIGNAL_TYPES = 20;
export const MAX_EXPRESSION_LENGTH = 4000;

export function emptyRuleForm(): RuleForm {
  return {
    name: '',
    description: '',
    markets: [],
    signalTypes: [],
    expression: '',
    policy: null,
    severity: null,
    priorityBoost: 0,
    queueId: null,
    autoTriage: false,
    note: '',
  };
}

function asSeverity(value: string): Severity | null {
  return severities.find((severity) => severity === value) ?? null;
}

/** The form filled in with a saved version (the note starts empty: it describes the next change). */
export function ruleFormOf(rule: RuleVersion): RuleForm {
  return {
    name: rule.name,
    description: rule.description,
    markets: [...rule.markets],
    signalTypes: [...rule.signal_types],
    expression: rule.expression,
    policy: rule.policy,
    severity: asSeverity(rule.severity),
    priorityBoost: rule.priority_boost,
    queueId: rule.queue_id,
    autoTriage: rule.auto_triage,
    note: '',
  };
}

/** The request body for the form (and a status); the server checks everything again. */
export function ruleInputOf(form: RuleForm, status: RuleStatus): RuleInput {
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    markets: [...form.markets].sort(),
    signal_types: form.signalTypes.map((type) => type.trim()).filter((type) => type !== ''),
    expression: form.expression,
    policy: form.policy ?? '',
    severity: form.severity ?? 'medium',
    priority_boost: form.priorityBoost,
    queue_id: form.queueId,
    auto_triage: form.autoTriage,
    status,
    note: form.note.trim(),
  };
}

/** The saved content of a rule as a request body with a new status: what lifecycle changes send. */
export function ruleInputWithStatus(rule: RuleVersion, status: RuleStatus, note: string): RuleInput {
  return { ...ruleInputOf({ ...ruleFormOf(rule), note }, status), severity: rule.severity as RuleInput['severity'] };
}

/** True when the form differs from the saved version in anything that would be saved (the note aside). */
export function ruleFormChanged(form: RuleForm, rule: RuleVersion): boolean {
  const saved = ruleFormOf(rule);
  const a = ruleInputOf({ ...form, note: '' }, rule.status);
  const b = ruleInputOf(saved, rule.status);
  return JSON.stringify(a) !== JSON.stringify(b);
}

const signalTypePattern = /^[a-z0-9][a-z0-9._]{0,99}$/;

/** Problems the form can see before asking the server (the server checks again, and owns the expression). */
export function checkRuleForm(form: RuleForm): Partial<Record<RuleFormField, string>> {
  const problems: Partial<Record<RuleFormField, string>> = {};
  const name = form.name.trim();
  if (name === '') problems.name = 'Name the rule after what it catches';
  else if (name.length > 120) problems.name = 'At most 120 characters';
  if (form.description.trim().length > 2000) problems.description = 'At most 2,000 characters';
  if (form.markets.length === 0) problems.markets = 'Pick the markets the rule runs in';
  if (form.signalTypes.length === 0) problems.signal_types = 'Which signal types should the rule listen to?';
  else if (form.signalTypes.length > MAX_SIGNAL_TYPES) problems.signal_types = `At most ${MAX_SIGNAL_TYPES} signal types`;
  else {
    const bad = form.signalTypes.find((type) => !signalTypePattern.test(type));
    if (bad !== undefined) problems.signal_types = `“${bad}” is not a signal type: lower-case letters, digits, dots and underscores`;
  }
  if (form.expression.trim() === '') problems.expression = 'Write an expression that is true when the rule should hit';
  else if (form.expression.length > MAX_EXPRESSION_LENGTH) problems.expression = `At most ${MAX_EXPRESSION_LENGTH.toLocaleString('en')} characters`;
  if (!form.policy) problems.policy = 'Pick the policy its cases are about';
  if (!form.severity) problems.severity = 'Pick a severity';
  if (!Number.isInteger(form.priorityBoost) || form.priorityBoost < 0 || form.priorityBoost > MAX_PRIORITY_BOOST) {
    problems.priority_boost = `A whole number from 0 to ${MAX_PRIORITY_BOOST}`;
  }
  if (form.note.trim().length > 500) problems.note = 'At most 500 characters';
  return problems;
}

/**
 * The problems to show: those of the fields flagged at the last save attempt
 * that the form still has. Fixed ones disappear as you type; new ones wait
 * for the next save.
 */
export function flaggedProblems(form: RuleForm, flagged: readonly RuleFormField[]): Partial<Record<RuleFormField, string>> {
  if (flagged.length === 0) return {};
  const now = checkRuleForm(form);
  const shown: Partial<Record<RuleFormField, string>> = {};
  for (const key of flagged) if (now[key]) shown[key] = now[key];
  return shown;
}

/** A failed save, sorted out for the editor. */
export interface RuleSaveProblem {
  /** Messages for the fields the form shows, by API field name. */
  byField: Partial<Record<RuleFormField, string>>;
  /** Field errors the form has no input for. */
  other: string[];
  /** From a 400 `invalid_expression`: shown under their lines in the editor. */
  expressionErrors: ExpressionError[] | null;
  /** A 409 `version_conflict`: someone saved a newer version. */
  conflict: { currentVersion: number | undefined } | null;
  /** A 403 `publish_required`: the change needs rule.publish. */
  publishRequired: boolean;
  /** The problem's detail when nothing more specific says it. */
  general: string | null;
}

/** Maps a save's ApiError to the editor: field errors to fields, expression errors to lines, the rest to one alert. */
export function ruleSaveProblem(error: ApiError | null | undefined): RuleSaveProblem | null {
  if (!error) return null;
  const conflict = error.code === 'version_conflict' ? { currentVersion: error.numberExtra('current_version') } : null;
  const publishRequired = error.code === 'publish_required';
  const expressionErrors = expressionErrorsOf(error);
  const { byField, other } = splitFieldErrors(conflict || publishRequired ? null : error, ruleFormFields);
  const typedByField = byField as Partial<Record<RuleFormField, string>>;
  // The expression's own errors are shown under its lines; a summary for the field itself.
  if (expressionErrors && expressionErrors.length > 0 && !typedByField.expression) {
    typedByField.expression = expressionErrors.length === 1 ? 'The expression has an error (see below)' : `The expression has ${expressionErrors.length} errors (see below)`;
  }
  const explained = conflict !== null || publishRequired || Object.keys(typedByField).length > 0 || other.length > 0;
  return {
    byField: typedByField,
    other,
    expressionErrors,
    conflict,
    publishRequired,
    general: explained ? null : (error.detail ?? error.title),
  };
}

/** The markets a rule may be written for by someone with rule.write in `writable` (`*`: all of `all`). */
export function writableMarkets(writable: readonly string[], all: readonly string[]): string[] {
  return writable.includes('*') ? [...all] : all.filter((market) => writable.includes(market));
}

export type RuleLifecycleAction = 'shadow' | 'publish' | 'disable';

/** The lifecycle changes the caller may make to a rule now, in the order the buttons show. */
export function lifecycleActions(rule: Pick<Rule, 'status' | 'may_write' | 'may_publish'>): RuleLifecycleAction[] {
  const actions: RuleLifecycleAction[] = [];
  const live = rule.status === 'live';
  // Leaving live is a change to a live rule: it needs rule.publish; other moves need rule.write.
  const mayChange = live ? rule.may_publish : rule.may_write;
  if (rule.status !== 'shadow' && mayChange) actions.push('shadow');
  if (!live && rule.may_publish) actions.push('publish');
  if (rule.status !== 'disabled' && mayChange) actions.push('disable');
  return actions;
}

export const lifecycleTargets: Record<RuleLifecycleAction, RuleStatus> = { shadow: 'shadow', publish: 'live', disable: 'disabled' };

/** Whether the caller may change the content of the rule as it is now (a live rule also needs rule.publish). */
export function mayEditContent(rule: Pick<Rule, 'status' | 'may_write' | 'may_publish'>): boolean {
  return rule.may_write && (rule.status !== 'live' || rule.may_publish);
}
