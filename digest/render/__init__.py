"""Rendering: summaries composed into an Issue, and the Issue into an email-ready message.

The only stage that imports Jinja2 and mjml. Owns composing the issue (`compose`, pure: lead,
sections, subject, preheader), what the templates see (`view`, every link made safe by `links`),
the templates, MJML, HTML and text (`templates`) and the email message (`message`), an editor's
changes to a held issue (`edits`, pure like `compose`) and the editor's note as safe HTML and
text (`note`).

Interface, for the stages above:

- `compose.choose_lead`, `compose.compose_issue`, `compose.in_section_order`
- `fit.fitted_issue` (the issue with the teasers the size budget holds, summarized only as the
  search for their number reaches them)
- `edits.Edits`, `edits.load_edits`, `edits.parse_edits`, `edits.check_edits`,
  `edits.apply_edits`, `edits.press`, `edits.stories`
- `templates.render_issue`, `templates.issue_json`, `templates.fit_teasers` (the most teasers
  the size budget holds, asking for teasers only as it renders them); `safe.render_safely` (a
  story that fails to render is left out, not the issue)
- `message.build_message`, `message.list_id`, `message.Template` (one message copied for each
  reader with their token)
- `view.archive_path` (where an issue lives in the archive)
"""
