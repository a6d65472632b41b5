"""Sources: where documents come from (folders, feeds, web pages) and what is new in them.

Owns reading every configured source into Documents, the one HTTP client (`fetch`, the only
code that touches the network, with `pinned` connecting to the checked address and `decoding`
capping decoded bytes), URL canonicalization and the choice of what is new since the last
issue. Nothing here writes state.

Interface, for the stages above:

- `collect.collect_sources`, `collect.Collection`, `collect.SourceReport`, `collect.collection_json`
- `folder.load_path` (one file as a Document), `pages.load_url` (one web page as a Document)
- `urls.canonical_url` (the same story's URL from any source)
"""
