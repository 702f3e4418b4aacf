import type { ReactNode } from 'react';

/** A failure the operator should read: what went wrong, and what happens next. */
export function ErrorNotice({
  title,
  message,
  children,
}: {
  title: string;
  message: string;
  children?: ReactNode;
}) {
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title}</strong>
      <p className="notice-message">{message}</p>
      {children}
    </div>
  );
}
