import { CopyButton } from './CopyButton';

/** A titled block of copyable text (commands, YAML). Text is rendered as text, never as HTML. */
export function CodeBlock({
  title,
  code,
  language,
}: {
  title: string;
  code: string;
  language?: string;
}) {
  return (
    <figure className="code-block">
      <figcaption>
        <span className="code-title">{title}</span>
        {language ? <span className="code-lang">{language}</span> : null}
        <CopyButton text={code} />
      </figcaption>
      <pre>
        <code>{code}</code>
      </pre>
    </figure>
  );
}
