// API keys: create (the secret shown once), list, revoke (pure).
import type { KeyRow } from "../../keys";
import { Badge, Card, Empty, when } from "../components";
import { CsrfField, type PageCtx } from "../layout";

export function KeysPage(props: { ctx: PageCtx; keys: KeyRow[]; created?: { key: KeyRow; secret: string } | null }) {
  return (
    <>
      {props.created ? (
        <div class="card" style="border-color:#b7e1c1;background:#f0fbf3" data-testid="new-secret">
          <h2>Key “{props.created.key.name}” created ({props.created.key.scope})</h2>
          <p>Copy the secret now: it is shown this once and stored only as a hash.</p>
          <pre class="text" data-testid="secret">{props.created.secret}</pre>
        </div>
      ) : null}
      <Card title="Create a key">
        <form method="post" action="/ui/keys" class="inline" data-testid="create-key">
          <CsrfField ctx={props.ctx} />
          <input name="name" required maxlength={100} placeholder="Name, e.g. ci-pipeline" size={28} />
          <select name="scope">
            <option value="judge">judge: judge and read judgments</option>
            <option value="admin">admin: everything</option>
          </select>
          <button type="submit">Create key</button>
        </form>
      </Card>
      <Card title="Keys">
        {props.keys.length ? (
          <table data-testid="keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Scope</th>
                <th>Prefix</th>
                <th>Created</th>
                <th>Status</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {props.keys.map((k) => (
                <tr>
                  <td>{k.name}</td>
                  <td>
                    <Badge value={k.scope} />
                  </td>
                  <td class="mono">{k.prefix}…</td>
                  <td class="small">{when(k.createdAt)}</td>
                  <td>{k.revokedAt ? <span class="muted">revoked {when(k.revokedAt)}</span> : <Badge value="active" />}</td>
                  <td>
                    {k.revokedAt ? null : (
                      <form method="post" action={`/ui/keys/${k.id}/revoke`} data-confirm={`Revoke “${k.name}”? Every caller using it gets 401 from now on.`}>
                        <CsrfField ctx={props.ctx} />
                        <button type="submit" class="danger">
                          Revoke
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No keys yet. SELFJUDGE_ADMIN_KEY works everywhere; create scoped keys for apps and CI here.</Empty>
        )}
      </Card>
    </>
  );
}
