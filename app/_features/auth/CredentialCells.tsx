/** The last three cells of a token or embed row: expiry, state and the revoke button. */
export function CredentialCells({
  expiresAt,
  revoked,
  expired,
  onRevoke,
}: {
  expiresAt: Date | null;
  revoked: boolean;
  expired: boolean;
  onRevoke: () => void;
}) {
  return (
    <>
      <td>{expiresAt ? expiresAt.toLocaleString() : 'never'}</td>
      <td>{revoked ? 'revoked' : expired ? 'expired' : 'active'}</td>
      <td>
        {revoked ? null : (
          <button className="btn btn-small" type="button" onClick={onRevoke}>
            Revoke
          </button>
        )}
      </td>
    </>
  );
}
