"""make clinical-review: the document the clinicians sign off holds every question, finding,
outcome, relief step and vignette, and says how many vignettes the check gets wrong."""
from __future__ import annotations

from skill import relief, safety
from tools.clinical_review import vignettes
from tools.clinical_review.__main__ import main


def test_the_review_document_holds_everything_a_clinician_must_see(tmp_path, capsys):
    out = tmp_path / "review.md"
    assert main(["--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for q in safety.QUESTIONS:
        assert f"| {q.id}" in text and f"**{q.id}**" in text, q.id
    for fid in safety.FINDING_IDS:
        assert f"| {fid} |" in text, fid
    for step in relief.STEPS:
        assert f"**{step}**" in text, step
    found = vignettes.load()
    for v in found:
        assert f"| {v.id} |" in text, v.id
    assert f"0 of {len(found)} vignettes differ" in text
    assert "{" not in text.replace("{age}", ""), "an unfilled placeholder"
    assert "Sign-off" in text
