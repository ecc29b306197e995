import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_core.js';
import * as m0002 from './0002_search.js';
import * as m0003 from './0003_webhooks.js';
import * as m0004 from './0004_search_speed.js';
import * as m0005 from './0005_webhook_retention.js';
import * as m0007 from './0007_web_sessions.js';
import * as m0008 from './0008_search_embeddings.js';
import * as m0009 from './0009_follows.js';
import * as m0010 from './0010_sample_data.js';
import * as m0012 from './0012_member_email_per_council.js';
import * as m0015 from './0015_council_systems.js';
import * as m0016 from './0016_rate_limits.js';
import * as m0017 from './0017_freshness_nudges.js';
import * as m0018 from './0018_search_facets.js';
import * as m0019 from './0019_comment_edits_and_contacts.js';
import * as m0020 from './0020_problem_same_as.js';
import * as m0021 from './0021_moderation.js';
import * as m0022 from './0022_email_sends_pending_key.js';
import * as m0023 from './0023_search_change_xid.js';
import * as m0024 from './0024_search_vectors.js';

/** Every migration, in order. Add new ones here; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_search': m0002,
  '0003_webhooks': m0003,
  '0004_search_speed': m0004,
  '0005_webhook_retention': m0005,
  '0007_web_sessions': m0007,
  '0008_search_embeddings': m0008,
  '0009_follows': m0009,
  '0010_sample_data': m0010,
  '0012_member_email_per_council': m0012,
  '0015_council_systems': m0015,
  '0016_rate_limits': m0016,
  '0017_freshness_nudges': m0017,
  '0018_search_facets': m0018,
  '0019_comment_edits_and_contacts': m0019,
  '0020_problem_same_as': m0020,
  '0021_moderation': m0021,
  '0022_email_sends_pending_key': m0022,
  '0023_search_change_xid': m0023,
  '0024_search_vectors': m0024,
};
