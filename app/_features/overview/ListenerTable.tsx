import type { ListenerView } from './prepare-overview';

/** The endpoints this process listens on, with the paths each one serves. */
export function ListenerTable({ listeners }: { listeners: ListenerView[] }) {
  return (
    <table className="data-table listeners" aria-label="Listeners">
      <thead>
        <tr>
          <th scope="col">Listener</th>
          <th scope="col">Address</th>
          <th scope="col">Serves</th>
        </tr>
      </thead>
      <tbody>
        {listeners.map((l) => (
          <tr key={l.name}>
            <td>{l.title}</td>
            <td>
              <code>{l.url}</code>
            </td>
            <td>
              <ul className="serves">
                {l.serves.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
