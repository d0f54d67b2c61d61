// `npm pack` / `npm publish` (prepack and postpack): the package.json a user installs carries no
// development scripts or devDependencies (npm would list `prepare` as an install script to
// approve, and the scripts name files the package does not ship). `strip` keeps the
// developer's package.json as package.json.dev and writes the user's; `restore` puts it back,
// byte for byte. A package.json.dev left by a failed pack stops `strip`: restore it first.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const KEEP = ['name', 'version', 'description', 'type', 'exports', 'types', 'files', 'license', 'bin', 'engines', 'dependencies'];
const [command] = process.argv.slice(2);

if (command === 'strip') {
  if (existsSync('package.json.dev')) {
    process.stderr.write('pack-manifest: package.json.dev exists (a pack that failed half-way?): run `node scripts/pack-manifest.mjs restore` first\n');
    process.exit(1);
  }
  const raw = readFileSync('package.json');
  const dev = JSON.parse(raw.toString('utf8'));
  const user = Object.fromEntries(KEEP.filter((k) => k in dev).map((k) => [k, dev[k]]));
  writeFileSync('package.json.dev', raw);
  writeFileSync('package.json', `${JSON.stringify(user, null, 2)}\n`);
} else if (command === 'restore') {
  if (existsSync('package.json.dev')) renameSync('package.json.dev', 'package.json');
} else {
  process.stderr.write('usage: node scripts/pack-manifest.mjs strip|restore\n');
  process.exit(2);
}
