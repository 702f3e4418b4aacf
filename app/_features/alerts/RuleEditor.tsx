'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { Panel } from '../../_components/Panel';
import { useTRPC } from '../../_trpc/client';
import { PreviewTable } from './PreviewTable';
import { RuleFields } from './RuleFields';
import { issuesByField, toRuleInput, type RuleForm } from './rule-form';

/** Create or edit a rule: validation messages per field, "test now", save. */
export function RuleEditor({
  id,
  initial,
  onDone,
}: {
  id: string | null;
  initial: RuleForm;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const validate = useMutation(trpc.alerts.validate.mutationOptions());
  const add = useMutation(trpc.alerts.add.mutationOptions());
  const update = useMutation(trpc.alerts.update.mutationOptions());
  const test = useMutation(trpc.alerts.test.mutationOptions());
  const busy = validate.isPending || add.isPending || update.isPending;

  const check = async (): Promise<boolean> => {
    const result = await validate.mutateAsync({ rule: toRuleInput(form) });
    setErrors(issuesByField(result.issues));
    return result.ok;
  };
  const save = async () => {
    if (!(await check())) return;
    const rule = toRuleInput(form);
    if (id) await update.mutateAsync({ id, rule });
    else await add.mutateAsync({ rule });
    onDone();
  };
  const preview = async () => {
    if (!(await check())) return;
    const rule = toRuleInput(form);
    // Validated above: the server parses the spec again and answers with its own defaults.
    test.mutate({
      name: rule.name || 'preview',
      spec: rule.spec as Parameters<typeof test.mutate>[0]['spec'],
    });
  };
  const failure = validate.error ?? add.error ?? update.error;
  const errorCount = Object.values(errors).flat().length;
  return (
    <Panel
      title={id ? `Edit rule “${initial.name}”` : 'New alert rule'}
      id="rule-editor"
    >
      <form
        className="rule-editor"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <RuleFields
          form={form}
          errors={errors}
          onChange={(patch) => setForm((f) => ({ ...f, ...patch }))}
        />
        {errors.form ? (
          <ErrorNotice
            title="The rule is not valid"
            message={errors.form.join('; ')}
          />
        ) : null}
        {errorCount > 0 ? (
          <p className="field-error">
            Fix the {errorCount === 1 ? 'field' : `${errorCount} fields`} marked
            in red, then save.
          </p>
        ) : null}
        {failure ? (
          <ErrorNotice title="Saving failed" message={failure.message} />
        ) : null}
        <div className="editor-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {id ? 'Save changes' : 'Create rule'}
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy || test.isPending}
            onClick={() => void preview()}
          >
            Test this rule now
          </button>
          <button type="button" className="btn" onClick={onDone}>
            Cancel
          </button>
        </div>
        {test.error ? (
          <ErrorNotice title="The test failed" message={test.error.message} />
        ) : null}
        {test.data ? (
          <PreviewTable preview={test.data} kind={form.kind} />
        ) : null}
      </form>
    </Panel>
  );
}
