import type { ReactNode } from 'react';

/** A labelled form control with the validation messages that belong to it. */
export function FormField({
  label,
  errors,
  children,
  hint,
}: {
  label: string;
  errors?: string[] | undefined;
  children: ReactNode;
  hint?: string;
}) {
  return (
    <label className={`field${errors?.length ? ' has-error' : ''}`}>
      <span>{label}</span>
      {children}
      {hint ? <small className="muted">{hint}</small> : null}
      {errors?.map((e) => (
        <small key={e} className="field-error" role="alert">
          {e}
        </small>
      ))}
    </label>
  );
}
