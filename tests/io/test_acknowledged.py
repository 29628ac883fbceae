"""engagement.yaml's acknowledged: contradictions the consultant keeps, with a reason."""
import pytest

from relkit.io.engagement import CHECK_IDS
from relkit.io.engagement_file import read_engagement


def _write(demo, extra: str):
    path = demo / "engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_acknowledged_checks_with_reasons(demo):
    _write(demo, 'acknowledged:\n  - check: revenue_last_year\n    reason: "la boutique physique manque"\n'
                 '  - {check: budget_envelopes, reason: "enveloppes de la méthode"}\n')
    eng, problems = read_engagement(demo)
    assert problems == []
    assert eng.acknowledged_checks == {"revenue_last_year": "la boutique physique manque",
                                       "budget_envelopes": "enveloppes de la méthode"}


def test_no_acknowledged_key_means_none(demo):
    eng, problems = read_engagement(demo)
    assert problems == [] and eng.acknowledged_checks == {}


@pytest.mark.parametrize("extra, where, message", [
    ("acknowledged:\n  - check: revenue_last_yeer\n    reason: x\n", "key 'acknowledged.0.check'",
     f"unknown check 'revenue_last_yeer' (expected one of: {', '.join(CHECK_IDS)})"),
    ("acknowledged:\n  - check: revenue_last_year\n", "key 'acknowledged.0.reason'", "missing required key"),
    ("acknowledged:\n  - check: revenue_last_year\n    reason: '  '\n", "key 'acknowledged.0.reason'",
     "must not be empty"),
])
def test_acknowledged_problems_name_the_key(demo, extra, where, message):
    _write(demo, extra)
    eng, problems = read_engagement(demo)
    assert eng is None
    assert [(p.where, p.message) for p in problems] == [(where, message)]


def test_revenue_basis_is_ht_or_ttc(demo):
    path = demo / "engagement.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  target_deadline:", "  basis: ht\n  target_deadline:"), encoding="utf-8")
    eng, problems = read_engagement(demo)
    assert problems == [] and eng.revenue.basis == "HT"
    path.write_text(text.replace("  target_deadline:", "  basis: TVA\n  target_deadline:"), encoding="utf-8")
    eng, problems = read_engagement(demo)
    assert eng is None and problems[0].where == "key 'revenue.basis'"
