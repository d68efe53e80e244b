// Copies the files the compiled code reads at run time next to it in dist/: the SQL
// migrations (dist/store/migrations) and the portal's stylesheet and script (dist/portal/assets).
import { cpSync, mkdirSync } from 'node:fs';
for (const dir of ['store/migrations', 'portal/assets']) {
  mkdirSync(`dist/${dir}`, { recursive: true });
  cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true });
}
