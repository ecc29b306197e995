import { loadConfig } from './config.js';
import { createApp } from './app.js';
import { seedIfEmpty } from '../seeds/seed.js';

// The entry point: the only place that reads the environment, handles signals and exits.
const started = performance.now();
const config = loadConfig(process.env);
const app = await createApp(config);

if (config.seedOnFirstStart) {
  const seeded = await seedIfEmpty({ db: app.db, services: app.services, dataDir: config.dataDir });
  if (seeded.created) app.logger.info('loaded seed data', seeded.counts);
  if (seeded.demoToken) {
    app.logger.info('demo token ready', { council: seeded.demoToken.council, role: seeded.demoToken.role });
    console.log(`\nDemo API token for ${seeded.demoToken.council} (${seeded.demoToken.role}):\n  ${seeded.demoToken.token}\n` +
      `Send it as "Authorization: Bearer <token>" (GraphiQL: Headers tab).\n`);
  }
}

const port = await app.listen();
app.logger.info('council commons is serving', {
  url: `http://localhost:${port}/graphql`,
  database: app.database.engine,
  startupMs: Math.round(performance.now() - started),
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.logger.info('shutting down', { signal });
    app.close().then(
      () => process.exit(0),
      (error) => { app.logger.error('shutdown failed', { error }); process.exit(1); },
    );
  });
}
