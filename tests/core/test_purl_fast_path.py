"""The purl strings built without packageurl-python are the ones it builds.

`ospo_scan.purl` joins the parts of a purl itself when they need no encoding and no
normalization; the expectation here is always the library's own string for the same parts,
over names and versions chosen to sit on either side of every rule the shortcut relies on.
"""

from __future__ import annotations

import itertools
import random

import pytest
from packageurl import PackageURL

from ospo_scan.model import Ecosystem
from ospo_scan.purl import _cached_purl, _plain_purl, build_purl, split_name

NAMES = [
    "left-pad", "JSONStream", "jsonstream", "@babel/core", "@Babel/Core", "@types/node", "@/x", "@scope/",
    "Django", "django", "zope.interface", "typing_extensions", "typing-extensions", "a~b", "a+b", "a b", " a",
    "org.apache.commons:commons-lang3", "Org.Apache:Lang", "com.example:a_b", "github.com/stretchr/testify",
    "golang.org/x/net", "gopkg.in/yaml.v3", "github.com/Azure/go-autorest/autorest", "example.com//double",
    "/leading", "trailing/", "ünïcode", "a%20b", "a:b:c", "a@b", "x", "_", "-", "a#b", "a?b",
]
VERSIONS = [None, "", "1.0.0", "1.0.0-beta.1", "1.0.0+build.5", "v1.2.3", "v0.0.0-20200101000000-abcdef123456",
            "v2.0.0+incompatible", "1.0.0 ", "1.0/2", "^1.2.3", "1.0.0-SNAPSHOT", "latest", "ε", "1~2", "1:2"]


def _library(ecosystem: Ecosystem, name: str, version: str | None) -> str | type[Exception]:
    """The library's string, or the kind of error it raises for these parts."""
    namespace, bare = split_name(ecosystem, name)
    try:
        return PackageURL(type=ecosystem.value, namespace=namespace, name=bare, version=version or None).to_string()
    except (ValueError, TypeError) as error:
        return type(error)


def _ours(ecosystem: Ecosystem, name: str, version: str | None) -> str | type[Exception]:
    try:
        return build_purl(ecosystem, name, version)
    except (ValueError, TypeError) as error:
        return type(error)


@pytest.mark.parametrize("ecosystem", list(Ecosystem), ids=lambda e: e.value)
def test_every_shortcut_purl_is_the_library_purl(ecosystem: Ecosystem) -> None:
    shortcuts = 0
    for name, version in itertools.product(NAMES, VERSIONS):
        namespace, bare = split_name(ecosystem, name)
        plain = _plain_purl(ecosystem, namespace, bare, version or None)
        if plain is not None:
            shortcuts += 1
            assert plain == _library(ecosystem, name, version), (name, version)
    assert shortcuts > 10  # the shortcut is taken for ordinary names, or this test tests nothing


def test_random_names_agree_with_the_library() -> None:
    alphabet = "aZ09._~-/@+:%_ Éx"
    chooser = random.Random(13)
    for _ in range(4000):
        ecosystem = chooser.choice(list(Ecosystem))
        name = "".join(chooser.choice(alphabet) for _ in range(chooser.randint(1, 8)))
        version = "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 6))) or None
        _cached_purl.cache_clear()
        assert _ours(ecosystem, name, version) == _library(ecosystem, name, version), (ecosystem, name, version)


def test_qualifiers_go_to_the_library() -> None:
    assert build_purl(Ecosystem.MAVEN, "org.a:b", "1", {"type": "pom"}) == PackageURL(
        type="maven", namespace="org.a", name="b", version="1", qualifiers={"type": "pom"}
    ).to_string()
