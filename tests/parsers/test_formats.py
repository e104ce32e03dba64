"""The shared loaders: the fast YAML path reads what PyYAML reads, and hostile files (alias
bombs, integers too long for Python, TOML keys nested thousands deep) are refused with the
file's name or read anyway, never an uncaught error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from ospo_scan.discovery import FoundFile
from ospo_scan.file_parsing import parse_file
from ospo_scan.parsers import PARSERS, formats, yaml_loading
from ospo_scan.parsers.base import ParseError, SourceFile
from ospo_scan.reading import SandboxReader

SPECS = {spec.name: spec for spec in PARSERS}
LONG_INTEGER = "1" * (formats.MAX_INTEGER_DIGITS + 700)


@pytest.fixture(params=["yaml-rs", "C loader"])
def yaml_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each YAML test runs with yaml-rs (where installed) and with PyYAML's C loader alone."""
    if request.param == "yaml-rs" and not yaml_loading.fast_loader_available():
        pytest.skip("yaml-rs is not installed")
    if request.param == "C loader":
        monkeypatch.setattr(yaml_loading, "_FAST_MODULE", [None])
    yield request.param


def _pyyaml(text: str) -> list[object]:
    return list(yaml.load_all(text, Loader=yaml.CSafeLoader))


def _typed(value: object) -> object:
    """The value with every scalar's type beside it: `==` alone takes True for 1 and 1 for 1.0."""
    if isinstance(value, dict):
        return ("dict", [(_typed(key), _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, value)


def _source(text: str, path: str = "file") -> SourceFile:
    return SourceFile(path=path, text=text)


def _parse(tmp_path: Path, name: str, parser: str, text: str) -> tuple[object, list[str]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result, issues = parse_file(FoundFile(root=tmp_path, relative_path=name, spec=SPECS[parser]), SandboxReader(tmp_path))
    return result, [f"{issue.path}: {issue.message}" for issue in issues]


YAML_11_CASES = {
    "yes-no-on-off": "a: yes\nb: No\nc: on\nd: OFF\nk: [no, on]\n",
    "octal-and-1.2-octal": "a: 0777\nb: 0o17\n",
    "sexagesimal": "a: 1:20\nb: 1:20.5\n",
    "exponent-without-dot": "a: 1e3\nb: 1.0e+3\n",
    "underscores": "a: 1_000\n",
    "hexadecimal-and-signs": "a: 0x1F\nb: +1\nc: -0\nd: 1.50\ne: .5\nf: 6.\n",
    "binary-tag": "a: !!binary aGVsbG8=\n",
    "merge-key": "a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n",
    "timestamps": "a: 2024-01-15\nb: 2024-01-15T12:00:00Z\nc: 2001-12-14 21:59:43.10 -5\n",
    "duplicate-key-last-wins": "a: 1\nb: 2\na: 3\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "documents-that-are-lists": "- 1\n---\n- 2\n",
    "one-document-that-is-a-list": "---\n- a: 1\n- b: 2\n",
    "empty-documents": "a: 1\n---\n---\nb: 2\n",
    "empty-text": "",
    "lone-marker": "---\n",
    "document-end-marker": "a: 1\n...\n---\nb: 1\n",
    "words-inside-a-message": "deprecated: this will break on node 14. Upgrade to 2.\nversion: 1.2.3\n",
    "versions-and-hashes": "a: 1.2.3\nb: 5.10.1_c467cf9b\nc: 10c0\nd: 4.0.0-rc.1\n",
    "line-separator-in-a-quoted-string": 'a: "x\u2028y"\n',
    "next-line-in-a-quoted-string": 'a: "x\x85y"\n',
}


@pytest.mark.parametrize("text", YAML_11_CASES.values(), ids=YAML_11_CASES.keys())
def test_yaml_reads_as_pyyaml_does(text: str, yaml_path: str) -> None:
    assert _typed(yaml_loading.load_documents(text)) == _typed(_pyyaml(text))


def test_one_yaml_document_or_pyyaml_error(yaml_path: str) -> None:
    assert formats.load_yaml(_source("a: yes\n")) == {"a": True}
    assert formats.load_yaml(_source("")) is None
    with pytest.raises(ParseError, match="invalid YAML: but found another document"):
        formats.load_yaml(_source("a: 1\n---\nb: 2\n"))


def test_yaml_errors_are_pyyamls_with_their_line(yaml_path: str) -> None:
    with pytest.raises(ParseError) as raised:
        formats.load_yaml(_source("a: 1\nb: [1, 2\nc: 3\n"))
    assert raised.value.message.startswith("invalid YAML: ") and raised.value.line == 3


def _alias_bomb(header: str, levels: int = 9) -> str:
    lines = [header.rstrip("\n"), "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


PNPM_BOMB = _alias_bomb("lockfileVersion: '9.0'\n")
BERRY_BOMB = _alias_bomb("__metadata:\n  version: 8\n  cacheKey: 10c0\n") + '"a@npm:1.0.0":\n  version: 1.0.0\n  dependencies: *l8\n'


@pytest.mark.parametrize(("name", "parser", "text"), [("pnpm-lock.yaml", "pnpm-lock", PNPM_BOMB), ("yarn.lock", "yarn-lock", BERRY_BOMB)], ids=["pnpm", "berry"])
def test_alias_bomb_is_refused_naming_the_file(tmp_path: Path, name: str, parser: str, text: str, yaml_path: str) -> None:
    assert len(text.encode()) < 600  # a few hundred bytes that would expand to 387 million nodes
    result, issues = _parse(tmp_path, name, parser, text)
    assert result is None
    assert issues == [f"{name}: invalid YAML: aliases expand to more than 100,000 nodes (an alias bomb?); the file is refused"]


def test_aliases_within_the_bound_are_read(yaml_path: str) -> None:
    text = _alias_bomb("a: 1\n", levels=3)  # 9 x 9 x 9 leaves
    assert _typed(yaml_loading.load_documents(text)) == _typed(_pyyaml(text))


def test_alias_inside_its_own_anchor_is_refused(yaml_path: str) -> None:
    with pytest.raises(ParseError, match="an alias refers to a node that contains it"):
        yaml_loading.load_documents("a: &a [*a]\n")


def test_yaml_integer_too_long_for_python(yaml_path: str) -> None:
    with pytest.raises(ParseError, match="invalid YAML: a value cannot be read"):
        yaml_loading.load_documents(f"a: {LONG_INTEGER}\n")


def test_yaml_nested_thousands_deep_is_an_error_not_a_crash(yaml_path: str) -> None:
    depth = 20_000  # yaml-rs overflows its stack here; lines this long never reach it
    text = "".join(" " * level + "a:\n" for level in range(depth)) + " " * depth + "b: 1\n"
    with pytest.raises(ParseError, match="invalid YAML"):
        yaml_loading.load_documents(text)


def test_json_integer_too_long_for_python_is_kept_as_text(tmp_path: Path) -> None:
    assert formats.load_json(_source(f'{{"a": {LONG_INTEGER}, "b": 2, "c": -{LONG_INTEGER}}}')) == {"a": LONG_INTEGER, "b": 2, "c": f"-{LONG_INTEGER}"}
    result, issues = _parse(tmp_path, "package.json", "package-json", f'{{"name": "x", "version": "1.0.0", "n": {LONG_INTEGER}, "dependencies": {{"a": "^1"}}}}')
    assert result is not None and issues == []


def test_toml_integer_too_long_for_python_names_the_file_and_line(tmp_path: Path) -> None:
    result, issues = _parse(tmp_path, "pyproject.toml", "pyproject", f'[project]\nname = "x"\nn = {LONG_INTEGER}\n')
    assert result is None
    assert issues == ["pyproject.toml: invalid TOML: an integer of more than 4,300 digits"]
    with pytest.raises(ParseError) as raised:
        formats.load_toml(_source(f"a = 1\nb = {LONG_INTEGER}\n"))
    assert raised.value.line == 2


DEEP_TOML = {
    "dotted-key": "a" + ".a" * 20_000 + " = 1\n",
    "table-header": "[" + "a." * 20_000 + "a]\n",
    "inline-tables": "a = " + "{b = " * 20_000 + "1" + "}" * 20_000 + "\n",
    "arrays": "a = " + "[" * 20_000 + "]" * 20_000 + "\n",
}


@pytest.fixture(params=["installed loader", "tomllib"])
def toml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """With tomli (which bounds nesting itself) and with the standard library's tomllib."""
    if request.param == "tomllib":
        monkeypatch.setattr(formats, "tomllib", pytest.importorskip("tomllib"))
        monkeypatch.setattr(formats, "_TOML_BOUNDS_NESTING", False)
    return str(request.param)


@pytest.mark.parametrize("text", DEEP_TOML.values(), ids=DEEP_TOML.keys())
def test_toml_nested_thousands_deep_is_refused(text: str, toml_loader: str) -> None:
    with pytest.raises(ParseError, match="invalid TOML"):
        formats.load_toml(_source(text))


def test_toml_dots_in_strings_are_not_key_parts(toml_loader: str) -> None:
    text = 'a = "' + "." * 5_000 + '"\n'
    assert formats.load_toml(_source(text)) == {"a": "." * 5_000}


def _corpus_yaml_files(corpus: Path) -> list[Path]:
    found = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            found.append(path)
        elif path.name == "yarn.lock" and "__metadata:" in path.read_text(encoding="utf-8", errors="replace"):
            found.append(path)  # a Berry lockfile (a v1 lockfile is not YAML)
    return found


@pytest.mark.corpus
def test_fast_yaml_path_equals_pyyaml_on_every_corpus_yaml_file(corpus: Path) -> None:
    if not yaml_loading.fast_loader_available():
        pytest.skip("yaml-rs is not installed")
    fast = 0
    for path in _corpus_yaml_files(corpus):
        text = path.read_text(encoding="utf-8")
        try:
            expected = _pyyaml(text)
        except (yaml.YAMLError, ValueError):
            with pytest.raises(ParseError):
                yaml_loading.load_documents(text)
            continue
        assert _typed(yaml_loading.load_documents(text)) == _typed(expected), path
        documents = yaml_loading._fast_documents(text)
        if documents is not None:
            assert _typed(documents) == _typed(expected), path
            fast += 1
    assert fast >= 10, "the big pnpm and Berry lockfiles of the corpus take the fast path"
