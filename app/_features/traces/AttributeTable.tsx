/** Key/value pairs (span or resource attributes), sorted by key; values as plain text. */
export function AttributeTable({
  attributes,
  label,
}: {
  attributes: Record<string, string>;
  label: string;
}) {
  const entries = Object.entries(attributes).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  if (entries.length === 0) return <p className="empty-inline">None.</p>;
  return (
    <table className="data-table compact kv-table" aria-label={label}>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row" className="mono">
              {k}
            </th>
            <td className="mono kv-value">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
