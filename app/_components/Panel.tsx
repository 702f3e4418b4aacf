import type { ReactNode } from 'react';

/** A bordered section with a title bar; `actions` sit on the right of the title. */
export function Panel({
  title,
  id,
  actions,
  children,
}: {
  title: ReactNode;
  id?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section
      className="panel"
      id={id}
      aria-labelledby={id ? `${id}-title` : undefined}
    >
      <header className="panel-header">
        <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
