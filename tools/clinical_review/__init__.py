"""make clinical-review: one Markdown document for the clinic's clinicians to review and sign off
before release: every question, outcome and relief step as spoken (both locales), its source
row, the decision rules, and the vignettes with the outcome the check gives each."""
