"""Summaries: the sentences of an article that say what it is about, chosen offline.

The only stage that imports sumy. Owns sentence splitting (`sentences`, with each language's
`abbreviations` and the language names in `languages`), stemmers and stop words read without
NLTK's start-up (`stemmers`), the sentence-term matrix (`termmatrix`), graph
scoring in numpy (`graphrank`), the learned `default` method (`adaptive`), each article's
language (`langdetect`) and the methods by name, the summary cache and the process pool
(`methods`).

Interface, for the stages above:

- `methods.summarize_text`, `sentences.split_sentences` (also `digest.summarize_text` and
  `digest.split_sentences`, the public Python API)
- `methods.summarize_articles`, `methods.Summaries`, `methods.METHODS`, `methods.check_method`,
  `methods.language_name`, `langdetect.with_languages`
"""
