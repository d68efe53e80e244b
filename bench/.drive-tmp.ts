import { runOktaWorkload } from './okta-workload.js';
import { readFileSync } from 'node:fs';
const dir = JSON.parse(readFileSync('/tmp/prof/dir.json', 'utf8'));
const r = await runOktaWorkload({ baseUrl: `http://127.0.0.1:8093/scim/v2/${dir.id}`, token: dir.token, users: 2000, groups: 4, groupSize: 250, concurrency: 8 } as any);
for (const p of r) console.log(p.phase, Math.round(p.opsPerSec));
