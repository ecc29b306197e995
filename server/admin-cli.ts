import { runAdmin } from './admin/run.js';

// The admin command line's entry point: the only place it reads the environment or sets
// the exit status. `npm run admin -- help` lists the commands.
process.exitCode = await runAdmin(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
