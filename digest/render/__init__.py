"""Rendering: summaries composed into an Issue, and the Issue into an email-ready message.

The only stage that imports Jinja2 and mjml. Owns composing the issue (`compose`, pure: lead,
sections, subject, preheader), what the templates see (`view`, every link made safe by `links`),
the templates, MJML, HTML and text (`templates`) and the email message (`message`).

Interface, for the stages above:

- `compose.choose_lead`, `compose.compose_issue`
- `templates.render_issue`, `templates.issue_json`; `safe.render_safely` (a story that fails
  to render is left out, not the issue)
- `message.build_message`, `message.list_id`
- `view.archive_path` (where an issue lives in the archive)
"""
