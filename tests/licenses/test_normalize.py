"""Normalization: real-world license strings -> SPDX expressions, and the alias table.

The main table is data/corpus_license_strings.tsv: every license string of the shared
corpus (package-lock/package.json `license`, POM <licenses>, pyproject and METADATA
classifiers and License fields), every License :: trove classifier, and names common in
published metadata, each with the expression expected (or UNKNOWN / PROPRIETARY /
SEE:<file>) and a note on where it comes from.
"""

from __future__ import annotations

import csv
import html
import json
import re
import sys
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.licenses import aliases, spdx
from ospo_scan.licenses.normalize import normalize, normalize_many
from ospo_scan.licenses.spdx import Operator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TABLE = Path(__file__).parent / "data" / "corpus_license_strings.tsv"
VALID_SHARE_FLOOR = 0.90
"""Share of distinct corpus strings from real repositories normalized to valid SPDX
(an expression without `LicenseRef-ospo-*` references)."""
VALID_SHARE_FLOOR_WITH_FIXTURES = 0.75
"""The same, counting the peers' deliberately odd fixtures ('License from repo1')."""


def _rows() -> list[tuple[str, str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r[0], r[1], r[2]) for r in reader if r and not r[0].startswith("#")]


ROWS = _rows()


def test_the_table_has_at_least_150_distinct_strings() -> None:
    raws = [raw for raw, _, _ in ROWS]
    assert len(raws) >= 150
    assert len(set(raws)) == len(raws)


@pytest.mark.parametrize(("raw", "expected", "note"), ROWS, ids=[r[0][:60] for r in ROWS])
def test_real_world_string(raw: str, expected: str, note: str) -> None:
    result = normalize(raw)
    assert result.declared == raw
    if expected == "UNKNOWN":
        assert (result.expression, result.proprietary, result.see_file) == (None, False, None)
        assert result.reason
    elif expected == "PROPRIETARY":
        assert (result.expression, result.proprietary) == (None, True)
        assert result.reason
    elif expected.startswith("SEE:"):
        assert (result.expression, result.see_file) == (None, expected.removeprefix("SEE:"))
    else:
        assert result.expression == expected, note
        assert spdx.parse(result.expression) == result.expression
        if aliases.AMBIGUOUS_PREFIX in expected:
            assert result.reason and "ambiguous" in result.reason


COMPOUNDS = [
    ("MIT/Apache-2.0", "MIT OR Apache-2.0"),
    ("MIT or Apache 2.0", "MIT OR Apache-2.0"),
    ("Apache-2.0, MIT", "Apache-2.0 OR MIT"),
    ("MIT; Apache Software License, Version 2.0", "MIT OR Apache-2.0"),
    ("(MIT OR GPL-2.0)", "MIT OR GPL-2.0-only"),
    ("(MIT or Apache 2.0) and BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause"),
    ("Apache 2.0 & MIT", "Apache-2.0 AND MIT"),
    ("GPL2+ | MIT", "GPL-2.0-or-later OR MIT"),
    ("Dual MIT/GPL", "MIT OR LicenseRef-ospo-ambiguous-gpl"),
    ("Dual licensed under MIT and Apache 2.0", "MIT OR Apache-2.0"),
    ("either MIT or Apache-2.0", "MIT OR Apache-2.0"),
    ("MIT or Foo", "MIT"),
    ("Apache License, Version 2.0, MIT", "Apache-2.0 OR MIT"),
    ("MIT / BSD-3-Clause; ISC", "MIT OR BSD-3-Clause OR ISC"),
    ("GPL-2.0 WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("GPLv2 with classpath exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("GPL-2.0 w/ classpath exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("(GPLv2) with the Classpath exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("GNU General Public License v3.0 or later", "GPL-3.0-or-later"),
    ("LGPL-2.1 or later", "LGPL-2.1-or-later"),
    ("GNU Lesser General Public License v3.0 or any later version", "LGPL-3.0-or-later"),
    ("MIT AND MIT", "MIT"),
    ("MIT or MIT License", "MIT"),
    ("  mit  ", "MIT"),
    ("MIT License.", "MIT"),
]


@pytest.mark.parametrize(("raw", "expected"), COMPOUNDS)
def test_compound_and_exception_strings(raw: str, expected: str) -> None:
    assert normalize(raw).expression == expected


UNRECOGNIZED = [
    ("", "empty license string"),
    ("   ", "empty license string"),
    ("Foo", "not a recognized license name: 'Foo'"),
    ("MIT and Foo", "'Foo': not a recognized license name: 'Foo'"),
    ("Copyright 2010 Foo and Bar", "not a recognized license name: 'Copyright 2010 Foo and Bar'"),
    ("Apache 2.0 or later", "not a recognized license name: 'Apache 2.0 or later'"),
    ("GPL-2.0 with Foo exception", "'Foo exception' in 'GPL-2.0 with Foo exception' is not a known"),
    ("(MIT or GPL) with classpath exception", "an exception applies to one license"),
    ("https://example.org/LICENSE", "not a recognized license URL"),
    ("()", "not a recognized license name: '()'"),
    ("UNKNOWN", "setuptools writes it"),
    ("NOASSERTION", "SPDX NOASSERTION"),
]


@pytest.mark.parametrize(("raw", "reason"), UNRECOGNIZED)
def test_unrecognized_strings_say_why(raw: str, reason: str) -> None:
    result = normalize(raw)
    assert result.expression is None
    assert result.reason and reason in result.reason


def test_notes_record_each_decision() -> None:
    result = normalize("MIT, Foo")
    assert result.expression == "MIT"
    assert any("read as OR" in n for n in result.notes)
    assert any(n.startswith("dropped the choice 'Foo'") for n in result.notes)


def test_npm_specials() -> None:
    unlicensed = normalize("UNLICENSED")
    assert (unlicensed.expression, unlicensed.proprietary) == (None, True)
    see = normalize("SEE LICENSE IN ./docs/LICENSE.md")
    assert (see.expression, see.see_file) == (None, "./docs/LICENSE.md")
    assert not see.proprietary


def test_an_and_with_a_proprietary_part_is_proprietary() -> None:
    result = normalize("MIT and Proprietary")
    assert (result.expression, result.proprietary) == (None, True)


def test_resolved_is_false_for_ambiguous_references() -> None:
    assert normalize("MIT").resolved
    assert not normalize("BSD").resolved
    assert not normalize("Foo").resolved


MANY = [
    (["Apache 2.0", "MIT"], Operator.OR, "Apache-2.0 OR MIT"),
    (["MIT", "MIT License"], Operator.OR, "MIT"),
    (["License :: OSI Approved", "License :: OSI Approved :: MIT License"], Operator.OR, "MIT"),
    (["Apache 2.0", "BSD-3-Clause"], Operator.AND, "Apache-2.0 AND BSD-3-Clause"),
    (["Apache 2.0", "Foo"], Operator.AND, None),
    (["Foo", "Bar"], Operator.OR, None),
    (["", "  "], Operator.OR, None),
    # A precise value beats an ambiguous one of the same place (families.py).
    (["Apache-2.0", "License :: OSI Approved :: Apache Software License"], Operator.OR, "Apache-2.0"),
    (["License :: OSI Approved :: BSD License", "BSD-2-Clause OR Apache-2.0"], Operator.OR, "BSD-2-Clause OR Apache-2.0"),
    (["GNU GPLv2 (with FOSS License Exception)", "License :: OSI Approved :: GNU General Public License (GPL)"], Operator.OR, "GPL-2.0-only WITH Universal-FOSS-exception-1.0"),
    (["GPL", "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)"], Operator.OR, "GPL-3.0-or-later"),
    (["LGPL", "LGPLv2"], Operator.OR, "LicenseRef-ospo-ambiguous-lgpl-2"),
    (["LGPL with exceptions", "LGPL"], Operator.OR, "LicenseRef-ospo-ambiguous-lgpl-with-exceptions"),
    (["LGPL", "LGPL with exceptions"], Operator.OR, "LicenseRef-ospo-ambiguous-lgpl"),  # the same licenses: the first is kept
    (["Apache-2.0", "BSD"], Operator.AND, "Apache-2.0 AND LicenseRef-ospo-ambiguous-bsd"),  # not a BSD variant: both stay
    (["MIT", "MIT-style"], Operator.OR, "MIT OR LicenseRef-ospo-ambiguous-mit-style"),  # a name without members refines nothing
]


@pytest.mark.parametrize(("raws", "operator", "expected"), MANY)
def test_normalize_many(raws: list[str], operator: Operator, expected: str | None) -> None:
    result = normalize_many(raws, operator)
    assert result.expression == expected
    if expected is None:
        assert result.reason


def test_setting_an_ambiguous_value_aside_is_noted_and_drops_its_reason() -> None:
    result = normalize_many(["Apache-2.0", "License :: OSI Approved :: Apache Software License"])
    assert result.reason is None
    assert "set aside 'License :: OSI Approved :: Apache Software License': 'Apache-2.0' names Apache-2.0, one of the licenses it may mean" in result.notes


def test_normalize_many_keeps_the_declared_values() -> None:
    result = normalize_many(["Apache 2.0", "MIT"])
    assert result.declared == "Apache 2.0 | MIT"
    assert normalize_many(["Apache 2.0"]).declared == "Apache 2.0"


# --- the alias table --------------------------------------------------------------------

URL_KEYS = [
    ("http://www.apache.org/licenses/LICENSE-2.0.html", "apache.org/licenses/license-2.0"),
    ("https://apache.org/licenses/LICENSE-2.0.txt", "apache.org/licenses/license-2.0"),
    ("https://www.apache.org/licenses/LICENSE-2.0/", "apache.org/licenses/license-2.0"),
    ("https://www.gnu.org/licenses/gpl-3.0.en.html", "gnu.org/licenses/gpl-3.0"),
    ("https://opensource.org/license/unlicense/", "opensource.org/license/unlicense"),
    ("http://www.opensource.org/licenses/mit-license.php#x", "opensource.org/licenses/mit-license"),
]


@pytest.mark.parametrize(("url", "key"), URL_KEYS)
def test_url_key(url: str, key: str) -> None:
    assert aliases.is_url(url)
    assert aliases.url_key(url) == key


@pytest.mark.parametrize("text", ["MIT", "zlib/libpng", "N/A", "Apache License, Version 2.0"])
def test_names_are_not_urls(text: str) -> None:
    assert not aliases.is_url(text)


def test_name_key_ignores_case_whitespace_spelling_and_dashes() -> None:
    assert aliases.name_key("  Apache   Licence,\tVersion 2.0 ") == "apache license, version 2.0"
    assert aliases.name_key("Eclipse Public License \u2013 v 2.0") == "eclipse public license - v 2.0"


def test_the_shipped_table_loads_and_has_a_version() -> None:
    table = aliases.load_aliases()
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d+", table.version)
    assert table.exception("the Classpath exception") == "Classpath-exception-2.0"
    assert table.exception("GCC-exception-3.1") == "GCC-exception-3.1"
    assert "clause count" in (table.ambiguity_reason("LicenseRef-ospo-ambiguous-bsd") or "")
    assert table.members_of("LicenseRef-ospo-ambiguous-bsd") == ("BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause")
    assert table.members_of("LicenseRef-ospo-ambiguous-mit-style") == ()
    assert table.members_of("BSD-3-Clause") == ()


BAD_TABLES = [
    ('version = "1"', "version must be YYYY.MM.N"),
    ('version = "2026.11.1"\n[nonsense]\n', "unknown section"),
    ('version = "2026.11.1"\n[names]\n"X" = "Not An Id"\n', "[names] 'X'"),
    ('version = "2026.11.1"\n[names]\n"X" = "MIT"\n"x " = "ISC"\n', "duplicates an entry"),
    ('version = "2026.11.1"\n[exceptions]\n"x" = "MIT"\n', "is no SPDX exception"),
    ('version = "2026.11.1"\n[ambiguous.Bad_Slug]\nreason = "r"\nstrings = ["x"]\n', "slug"),
    ('version = "2026.11.1"\n[ambiguous.x]\nstrings = ["x"]\n', "needs a reason"),
    ('version = "2026.11.1"\n[ambiguous.x]\nreason = "r"\nstrings = ["x"]\nmembers = ["mit"]\n', "member 'mit' is not one SPDX license id"),
    ('version = "2026.11.1"\n[ambiguous.x]\nreason = "r"\nstrings = ["x"]\nmembers = ["MIT OR ISC"]\n', "member 'MIT OR ISC'"),
    ('version = "2026.11.1"\n[ambiguous.x]\nreason = "r"\nstrings = ["x"]\nmembers = "MIT"\n', "members must be a list"),
    ('version = "2026.11.1"\n[names]\n"MIT" = "ISC"\n[no_license]\n"mit" = "r"\n', "duplicates"),
    ("version = ", "invalid TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD_TABLES)
def test_a_malformed_table_is_refused_naming_the_entry(text: str, message: str) -> None:
    with pytest.raises(aliases.AliasTableError, match=re.escape(message)):
        aliases.parse_aliases(text)


# --- the corpus ---------------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_strings_are_in_the_table_and_mostly_valid(corpus: Path) -> None:
    occurrences = extract_corpus_strings(corpus)
    found = {value: where for value, where in reversed(occurrences)}  # first file wins
    assert found, "no license strings found in the corpus"
    missing = sorted(set(found) - {raw for raw, _, _ in ROWS})
    assert missing == [], "corpus strings missing from corpus_license_strings.tsv"
    real = [s for s, where in found.items() if not where.startswith("fixtures/")]
    valid = [s for s in found if normalize(s).resolved]
    share_all, share_real = len(valid) / len(found), _valid_share(real)
    weighted = _valid_share([value for value, _ in occurrences])
    print(
        f"\ncorpus license strings: {len(found)} distinct, {len(valid)} normalized to a valid "
        f"SPDX expression ({share_all:.1%}); real repositories only (no peer fixtures): "
        f"{len(real)} distinct, {share_real:.1%}; by occurrence: {len(occurrences)} values, "
        f"{weighted:.1%}"
    )
    assert share_real >= VALID_SHARE_FLOOR
    assert share_all >= VALID_SHARE_FLOOR_WITH_FIXTURES


def _valid_share(strings: list[str]) -> float:
    """Share normalized to an expression without ospo-made (ambiguous) references."""
    return sum(normalize(s).resolved for s in strings) / len(strings)


def extract_corpus_strings(root: Path) -> list[tuple[str, str]]:
    """Every declared license string under `root`, with its file (relative), in order."""
    found: list[tuple[str, str]] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # binary or unreadable: holds no declared license string
        where = path.relative_to(root).as_posix()
        found += [(value, where) for value in _strings_in(path.name, text) if value.strip()]
    return found


def _strings_in(name: str, text: str) -> list[str]:
    if name.endswith(".json"):
        return _json_strings(text)
    if name.endswith((".xml", ".pom", ".txtar")):
        return _pom_strings(text)
    if name.endswith(".toml"):
        return _toml_strings(text)
    if name in ("METADATA", "PKG-INFO") or name.startswith("PKG-INFO") or name.endswith(".egg-info"):
        return _metadata_strings(text)
    return []


def _json_strings(text: str) -> list[str]:
    """package.json / package-lock `license(s)` (strings, {type,url}, arrays); PyPI info."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    entries = [data, *(v for v in (data.get("packages") or {}).values() if isinstance(v, dict))]
    values = [_npm_license(entry.get(key)) for entry in entries for key in ("license", "licenses")]
    info = data.get("info")
    if isinstance(info, dict):
        values.append(_npm_license(info.get("license")))
        values.append([c for c in info.get("classifiers") or () if str(c).startswith("License ::")])
    return [s for group in values for s in group]


def _npm_license(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for v in (value.get("type"), value.get("url")) if isinstance(v, str)]
    if isinstance(value, list):
        return [s for item in value for s in _npm_license(item)]
    return []


def _pom_strings(text: str) -> list[str]:
    """<licenses><license><name>/<url> (txtar archives of POMs included)."""
    found = []
    for block in re.findall(r"<licenses>(.*?)</licenses>", text, re.DOTALL):
        for entry in re.findall(r"<license>(.*?)</license>", block, re.DOTALL):
            for tag in ("name", "url"):
                match = re.search(rf"<{tag}>(.*?)</{tag}>", entry, re.DOTALL)
                if match:
                    found.append(html.unescape(match.group(1).strip()))
    return found


def _toml_strings(text: str) -> list[str]:
    """pyproject [project] and [tool.poetry]: `license` (string or {text}) and classifiers."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    found: list[str] = []
    for table in (data.get("project"), (data.get("tool") or {}).get("poetry")):
        if not isinstance(table, dict):
            continue
        license_value = table.get("license")
        if isinstance(license_value, str):
            found.append(license_value)
        elif isinstance(license_value, dict) and isinstance(license_value.get("text"), str):
            found.append(license_value["text"])
        found += [c for c in table.get("classifiers") or () if str(c).startswith("License ::")]
    return found


def _metadata_strings(text: str) -> list[str]:
    """Core metadata: License, License-Expression, License :: classifiers."""
    message = HeaderParser().parsestr(text)
    found = [v for key in ("License", "License-Expression") for v in message.get_all(key) or ()]
    found += [c for c in message.get_all("Classifier") or () if c.startswith("License ::")]
    return [str(v) for v in found]
