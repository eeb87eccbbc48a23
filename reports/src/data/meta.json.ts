/** Writes when the analytics file was published and which run published it, for every page's stamp. */
import { isMain, runLoader, type Loader } from '../../lib/analytics.ts';

const load: Loader = async ({ db, has }) => {
  const published = has('meta.published') ? await db.selectFrom('meta.published').select(['published_at', 'tables']).executeTakeFirst() : undefined;
  const run = has('meta.runs')
    ? await db.selectFrom('meta.runs').select(['run_id', 'job', 'command', 'status', 'started_at', 'finished_at']).where('command', '=', 'publish').orderBy('started_at', 'desc').limit(1).executeTakeFirst()
    : undefined;
  return {
    publishedAt: published?.published_at ?? null,
    marts: published?.tables ? published.tables.split(', ').filter(Boolean) : [],
    run: run ?? null,
  };
};

export default load;

if (isMain(import.meta.url)) await runLoader(load);
