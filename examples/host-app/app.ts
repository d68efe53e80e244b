/**
 * An example host application: it receives Scimitar's webhooks, verifies them, and keeps its
 * own `users` table (with group names and roles) in step with the customer's directory.
 *
 *   SCIMITAR_WEBHOOK_SECRET=whsec_... PORT=3000 node --import tsx examples/host-app/app.ts
 *
 * Then point a webhook endpoint at http://localhost:3000/webhooks/scimitar
 * (`npx scimitar webhook create --url http://localhost:3000/webhooks/scimitar`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import Database from 'better-sqlite3';
import { verifyWebhook } from 'scimitar';

/** The slice of Scimitar's event envelope this app reads. */
interface ScimitarEvent {
  id: string;
  type: string;
  sequence: number;
  directoryId: string;
  data: {
    user?: { id: string; userName: string; email: string | null; firstName?: string | null; lastName?: string | null; state?: string; roles?: string[] };
    group?: { id: string; name: string };
  };
}

export interface HostApp {
  server: Server;
  db: Database.Database;
  close(): Promise<void>;
}

export function createHostApp(options: { secret: string; databasePath?: string }): HostApp {
  const db = new Database(options.databasePath ?? ':memory:');
  db.exec(`
    create table if not exists users (
      id text primary key,            -- Scimitar's user id
      directory_id text not null,
      user_name text not null,
      email text,
      first_name text,
      last_name text,
      active integer not null,
      roles text not null default '[]'
    );
    create table if not exists memberships (user_id text not null, group_id text not null, group_name text not null, primary key (user_id, group_id));
    -- webhook-ids already applied: deliveries are at least once, so apply each event once
    create table if not exists applied_events (id text primary key);
  `);

  const upsertUser = db.prepare(`
    insert into users (id, directory_id, user_name, email, first_name, last_name, active, roles)
    values (@id, @directoryId, @userName, @email, @firstName, @lastName, @active, @roles)
    on conflict (id) do update set user_name = excluded.user_name, email = excluded.email, first_name = excluded.first_name,
      last_name = excluded.last_name, active = excluded.active, roles = excluded.roles`);

  function apply(event: ScimitarEvent): void {
    const { user, group } = event.data;
    switch (event.type) {
      case 'user.created':
      case 'user.updated':
      case 'user.deactivated':
      case 'user.reactivated':
        if (user) {
          upsertUser.run({
            id: user.id,
            directoryId: event.directoryId,
            userName: user.userName,
            email: user.email,
            firstName: user.firstName ?? null,
            lastName: user.lastName ?? null,
            active: user.state === 'active' ? 1 : 0,
            roles: JSON.stringify(user.roles ?? []),
          });
        }
        break;
      case 'user.deleted':
        if (user) {
          db.prepare('delete from memberships where user_id = ?').run(user.id);
          db.prepare('delete from users where id = ?').run(user.id);
        }
        break;
      case 'group.member_added':
        if (user && group) db.prepare('insert or ignore into memberships values (?, ?, ?)').run(user.id, group.id, group.name);
        break;
      case 'group.member_removed':
        if (user && group) db.prepare('delete from memberships where user_id = ? and group_id = ?').run(user.id, group.id);
        break;
      case 'group.updated':
        if (group) db.prepare('update memberships set group_name = ? where group_id = ?').run(group.name, group.id);
        break;
      case 'group.deleted':
        if (group) db.prepare('delete from memberships where group_id = ?').run(group.id);
        break;
      case 'user.role_granted':
      case 'user.role_revoked': {
        const role = (event.data as { role?: string }).role;
        const row = user && (db.prepare('select roles from users where id = ?').get(user.id) as { roles: string } | undefined);
        if (user && row && role) {
          const roles = new Set<string>(JSON.parse(row.roles) as string[]);
          if (event.type === 'user.role_granted') roles.add(role);
          else roles.delete(role);
          db.prepare('update users set roles = ? where id = ?').run(JSON.stringify([...roles].sort()), user.id);
        }
        break;
      }
      default:
        break; // events this app does not need
    }
  }

  const applyOnce = db.transaction((event: ScimitarEvent) => {
    const fresh = db.prepare('insert or ignore into applied_events (id) values (?)').run(event.id).changes > 0;
    if (fresh) apply(event);
  });

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks/scimitar') {
      res.writeHead(404).end();
      return;
    }
    const body = await readBody(req);
    let event: ScimitarEvent;
    try {
      // Verify the exact bytes received, before parsing anything.
      event = verifyWebhook(body, req.headers, options.secret) as ScimitarEvent;
    } catch {
      res.writeHead(401).end();
      return;
    }
    applyOnce(event);
    res.writeHead(204).end();
  });

  return {
    server,
    db,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          db.close();
          resolve();
        }),
      ),
  };
}

// Run directly: node --import tsx examples/host-app/app.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const secret = process.env['SCIMITAR_WEBHOOK_SECRET'];
  if (!secret) {
    console.error('error: set SCIMITAR_WEBHOOK_SECRET to the secret printed by `npx scimitar webhook create`');
    process.exit(1);
  }
  const app = createHostApp({ secret, databasePath: process.env['DATABASE_PATH'] ?? './host-app.db' });
  const port = Number(process.env['PORT'] ?? 3000);
  app.server.listen(port, () => console.log(`host app listening on http://localhost:${port}/webhooks/scimitar`));
}
