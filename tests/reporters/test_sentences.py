"""The sentences the table and markdown reports share: counts, copyleft, shortening."""

from __future__ import annotations

import io
import re

from ospo_scan.analysis.wording import count, listing
from ospo_scan.model import Lifecycle
from ospo_scan.reporters import OutputFormat, sentences
from ospo_scan.reporters.report import Report
from tests.analysis.builders import component, inventory, project, use


def test_counts_have_no_grammar_slips() -> None:
    assert [count(1, "project"), count(2, "project"), count(1, "repository"), count(3, "repository"), count(0, "file")] == [
        "1 project", "2 projects", "1 repository", "3 repositories", "0 files"]
    assert listing(["a"]) == "a" and listing(["a", "b"]) == "a and b" and listing(["a", "b", "c", "d"], limit=2) == "a, b and 2 more"


def test_a_one_of_everything_report_says_one_not_ones() -> None:
    app = project("app")
    report = Report.of(inventory([app], [component("left-pad", None, use(app.id), license=None)]))
    for output_format in (OutputFormat.TABLE, OutputFormat.MARKDOWN):
        text = io.StringIO()
        output_format.renderer(report, text, False)
        assert not re.search(r"\b1 (projects|components|files|packages|gaps|warnings)\b", text.getvalue()), output_format


def test_copyleft_says_where_each_copyleft_component_is_used() -> None:
    app = project("app", license="Apache-2.0")
    parts = [
        component("pylint", "3.3.1", use(app.id, Lifecycle.DEVELOPMENT), license="GPL-2.0-or-later", category="strong-copyleft"),
        component("psycopg", "3.2.3", use(app.id), license="LGPL-3.0-only", category="weak-copyleft"),
        component("requests", "2.32.3", use(app.id), license="Apache-2.0"),
    ]
    sentence = sentences.copyleft(Report.of(inventory([app], parts)))
    assert sentence == "2 components: pylint (GPL-2.0-or-later, development only), psycopg (LGPL-3.0-only, at runtime)"


def test_no_copyleft_no_sentence() -> None:
    app = project("app")
    assert sentences.copyleft(Report.of(inventory([app], [component("x", "1", use(app.id))]))) is None


def test_shorten_cuts_at_a_word() -> None:
    assert sentences.shorten("short") == "short"
    cut = sentences.shorten("word " * 100, limit=23)
    assert cut.endswith("…") and len(cut) <= 23 and "wor…" not in cut


def test_nouns_ending_in_a_consonant_and_y_take_ies() -> None:
    from ospo_scan.analysis.wording import count

    assert count(4, "file or entry") == "4 file or entries"
    assert count(2, "key") == "2 keys"
