import Link from 'next/link';
import { CodeBlock } from '../../_components/CodeBlock';
import { PageHeader } from '../../_components/PageHeader';
import { VIEWS, type ViewName } from './views';
import './empty-state.css';

/** A view before it has data: what it will show, what fills it, and how to send that. */
export function ViewEmptyState({
  view,
  header = true,
}: {
  view: ViewName;
  /** False inside a view that draws its own header. */
  header?: boolean;
}) {
  const info = VIEWS[view];
  return (
    <>
      {header ? (
        <PageHeader title={info.title} description={info.summary} />
      ) : null}
      <section className="empty-state" aria-labelledby="empty-title">
        <h2 id="empty-title">
          No {info.title === 'mTLS' ? 'mTLS data' : info.title.toLowerCase()} to
          show yet
        </h2>
        <div className="empty-columns">
          <div>
            <h3>What you will see here</h3>
            <ul>
              {info.willShow.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
          <div>
            <h3>What fills it</h3>
            <ul>
              {info.fedBy.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        </div>
        <div className="empty-actions">
          <div>
            <h3>Next step</h3>
            <p>
              Send telemetry from your mesh: the{' '}
              <Link href="/#send-telemetry">Overview</Link> lists the endpoints
              this Meshlens listens on and the Istio configuration to copy. Or
              simulate a mesh:
            </p>
          </div>
          <CodeBlock
            title="Simulated mesh (Bookinfo)"
            language="shell"
            code={'npm run demo\n'}
          />
        </div>
      </section>
    </>
  );
}
