"""Storage under the stages: the SQLite state, the one cache, and atomic writes.

The only stage with SQL (`state`: seen items, issues, deliveries, feed validators; `readers`:
who subscribed, confirmed or left; `reviews`: issues held for review). `cache` is
the one cache implementation (keys, files, atomic writes, versions, a damaged entry is a miss)
that each stage's cache goes through: summaries (`sumcache`), extracted articles
(`extractcache`), folder files' hashes (`filehashes`), duplicate signatures (`minhashcache`)
and the last whole week (`weekcache`). `atomic.write_atomic` writes any file durably.
Nothing here imports a stage above.

Interface, for the stages above:

- `state.open_store`, `state.StateStore` (its `readers` is a `readers.Readers`)
- `readers.new_reader`, `readers.Reader`
- `atomic.write_atomic`
- `faults.kill_point` (the crash tests' named kill points; inert unless `DIGEST_KILL_AT` is set)
- `sumcache`, `weekcache`: `cache_key`/`week_key`, `load`, `store`; `extractcache.cache_key`,
  `extractcache.Pack` (the last run's extracted articles in one file);
  `filehashes.FileHashes`; `minhashcache.MinHashCache`
"""
