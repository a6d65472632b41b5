"""Extraction: a Document's readable articles, and each story once.

Owns turning text, Markdown and HTML documents into Articles with their metadata (`textdoc`
for plain text, `htmltext` for HTML through trafilatura, `scraped` for saved web pages holding
a lead and teasers) and merging the same story from several sources (`dedupe`).

Interface, for the stages above:

- `document.extract_document`, `document.extract_input`, `document.article_json`,
  `document.article_text`
- `dedupe.merge_duplicates`
"""
