import type { TableRowView } from './prepare-overview';

/** One table of the Data panel: name, row count (with why it may be unknown), size. */
export function TableCountRow({ row }: { row: TableRowView }) {
  return (
    <tr className={row.rowCount ? '' : 'is-empty'}>
      <td>
        <code>{row.name}</code>
      </td>
      <td className="num" title={row.note || undefined}>
        {row.rows}
      </td>
      <td className="num">{row.bytes}</td>
    </tr>
  );
}
