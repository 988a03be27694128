import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { rule, ruleVersion } from '../test/ruleFixtures';
import {
  checkRuleForm,
  emptyRuleForm,
  flaggedProblems,
  lifecycleActions,
  mayEditContent,
  ruleFormChanged,
  ruleFormOf,
  ruleInputOf,
  ruleInputWithStatus,
  ruleSaveProblem,
  writableMarkets,
} from './ruleForm';

const problem = (init: ConstructorParameters<typeof ApiError>[0]) => new ApiError(init);

describe('ruleSaveProblem: a failed save mapped to the editor', () => {
  it('puts expression_errors under their lines and field errors on their fields', () => {
    const mapped = ruleSaveProblem(
      problem({
        status: 400,
        title: 'Bad Request',
        code: 'invalid_expression',
        detail: 'the expression does not compile',
        errors: [
          { field: 'name', code: 'required', message: 'name the rule' },
          { field: 'signal_types[1]', code: 'invalid', message: 'not a signal type' },
          { field: 'owner', code: 'unknown', message: 'no such field' },
        ],
        extra: {
          expression_errors: [
            { line: 2, column: 26, message: 'invalid operation: >= (mismatched types int and string)' },
            { line: 0, column: -3, message: 'clamped' },
            'junk',
          ],
        },
      }),
    );
    expect(mapped?.expressionErrors).toEqual([
      { line: 2, column: 26, message: 'invalid operation: >= (mismatched types int and string)' },
      { line: 1, column: 1, message: 'clamped' },
    ]);
    expect(mapped?.byField).toEqual({ name: 'Name the rule.', signal_types: 'Not a signal type.', expression: 'The expression has 2 errors (see below)' });
    expect(mapped?.other).toEqual(['owner: No such field.']);
    expect(mapped?.conflict).toBeNull();
    expect(mapped?.general).toBeNull();
  });

  it('recognises a stale version and a missing rule.publish, without field noise', () => {
    const conflict = ruleSaveProblem(problem({ status: 409, title: 'Conflict', code: 'version_conflict', extra: { current_version: 5 } }));
    expect(conflict?.conflict).toEqual({ currentVersion: 5 });
    expect(conflict?.general).toBeNull();
    const publish = ruleSaveProblem(problem({ status: 403, title: 'Forbidden', code: 'publish_required', detail: 'needs rule.publish in VN' }));
    expect(publish?.publishRequired).toBe(true);
    expect(publish?.expressionErrors).toBeNull();
    expect(publish?.general).toBeNull();
  });

  it('falls back to the detail when nothing more specific says what went wrong', () => {
    expect(ruleSaveProblem(problem({ status: 500, title: 'Internal Server Error', code: 'internal', detail: 'try again' }))?.general).toBe('try again');
    expect(ruleSaveProblem(null)).toBeNull();
  });

  it('treats invalid_expression without a list as an expression problem with no lines', () => {
    expect(ruleSaveProblem(problem({ status: 400, title: 'Bad Request', code: 'invalid_expression', detail: 'bad' }))?.expressionErrors).toEqual([]);
  });
});

describe('the form', () => {
  it('round-trips a version and sends what the API takes', () => {
    const version = ruleVersion({ markets: ['TH', 'VN'], queue_id: 11 });
    const form = ruleFormOf(version);
    expect(form.note).toBe('');
    expect(ruleInputOf({ ...form, name: '  Burst  ', signalTypes: [' report.filed '] }, 'draft')).toEqual({
      name: 'Burst',
      description: version.description,
      markets: ['TH', 'VN'],
      signal_types: ['report.filed'],
      expression: version.expression,
      policy: 'counterfeit',
      severity: 'high',
      priority_boost: 50,
      queue_id: 11,
      auto_triage: false,
      status: 'draft',
      note: '',
    });
    expect(ruleFormChanged(form, version)).toBe(false);
    expect(ruleFormChanged({ ...form, note: 'only a note' }, version)).toBe(false);
    expect(ruleFormChanged({ ...form, expression: `${form.expression} ` }, version)).toBe(true);
    expect(ruleInputWithStatus(version, 'live', 'Published')).toMatchObject({ status: 'live', note: 'Published', expression: version.expression });
  });

  it('checks what it can before sending', () => {
    expect(checkRuleForm(emptyRuleForm())).toEqual({
      name: 'Name the rule after what it catches',
      markets: 'Pick the markets the rule runs in',
      signal_types: 'Which signal types should the rule listen to?',
      expression: 'Write an expression that is true when the rule should hit',
      policy: 'Pick the policy its cases are about',
      severity: 'Pick a severity',
    });
    const ok = { ...ruleFormOf(ruleVersion()) };
    expect(checkRuleForm(ok)).toEqual({});
    expect(checkRuleForm({ ...ok, signalTypes: ['Report Filed'] }).signal_types).toMatch(/not a signal type/);
    expect(checkRuleForm({ ...ok, priorityBoost: 501 }).priority_boost).toBe('A whole number from 0 to 500');
  });

  it('drops shown problems once fixed, and does not add new ones while typing', () => {
    const form = { ...emptyRuleForm(), name: 'x' };
    expect(flaggedProblems(form, ['name', 'markets'])).toEqual({ markets: 'Pick the markets the rule runs in' });
    expect(flaggedProblems(form, [])).toEqual({});
  });

  it('offers the markets the caller may write in', () => {
    expect(writableMarkets(['*'], ['TH', 'VN'])).toEqual(['TH', 'VN']);
    expect(writableMarkets(['VN'], ['TH', 'VN'])).toEqual(['VN']);
  });
});

describe('lifecycle', () => {
  it('lets an analyst move drafts to shadow and disable them, but not publish', () => {
    expect(lifecycleActions(rule({ status: 'draft', may_write: true, may_publish: false }))).toEqual(['shadow', 'disable']);
    expect(lifecycleActions(rule({ status: 'shadow', may_write: true, may_publish: false }))).toEqual(['disable']);
    expect(lifecycleActions(rule({ status: 'live', may_write: true, may_publish: false }))).toEqual([]);
  });

  it('lets a lead publish, and change or disable a live rule', () => {
    expect(lifecycleActions(rule({ status: 'shadow', may_write: false, may_publish: true }))).toEqual(['publish']);
    expect(lifecycleActions(rule({ status: 'live', may_write: false, may_publish: true }))).toEqual(['shadow', 'disable']);
    expect(lifecycleActions(rule({ status: 'disabled', may_write: true, may_publish: true }))).toEqual(['shadow', 'publish']);
  });

  it('keeps a live rule read-only without rule.publish', () => {
    expect(mayEditContent(rule({ status: 'live', may_write: true, may_publish: false }))).toBe(false);
    expect(mayEditContent(rule({ status: 'shadow', may_write: true, may_publish: false }))).toBe(true);
    expect(mayEditContent(rule({ status: 'shadow', may_write: false, may_publish: true }))).toBe(false);
  });
});
