"""The two fixture trees, fixtures/before/ and fixtures/after/, as data: the tests read
their expectations from SIDES, and test_fixture_trees checks that the committed trees
are what `write_side` writes (regenerate with `python -m tests.diffing.fixture_trees`).

Each side: an npm project (package.json + package-lock.json v3 with `license` fields),
a requirements.txt and a Maven pom.xml. From before to after:
left-pad removed, is-odd added, lodash 4.9.0 -> 4.10.0 (semver: upgrade), chalk
5.0.0 -> 4.1.2 (downgrade), colors keeps 1.4.0 but turns GPL-3.0-only (license
changed), copyleft-kept stays GPL-2.0-only but its declaration moves down a line;
flask 2.0.0rc1 -> 2.0.0 (PEP 440: upgrade), six removed, idna added; Maven
demo-lib 1.0-SNAPSHOT -> 1.0 (upgrade).
"""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SIDES = {
    "before": {
        "npm": {"copyleft-kept": ("1.0.0", "GPL-2.0-only"), "left-pad": ("1.1.0", "GPL-3.0-only"), "lodash": ("4.9.0", "MIT"), "chalk": ("5.0.0", "MIT"), "colors": ("1.4.0", "MIT")},
        "pypi": ["requests==2.31.0", "flask==2.0.0rc1", "six==1.16.0"],
        "maven": "1.0-SNAPSHOT",
    },
    "after": {
        "npm": {"is-odd": ("3.0.1", "ISC"), "lodash": ("4.10.0", "MIT"), "chalk": ("4.1.2", "MIT"), "colors": ("1.4.0", "GPL-3.0-only"), "copyleft-kept": ("1.0.0", "GPL-2.0-only")},
        "pypi": ["requests==2.31.0", "flask==2.0.0", "idna==3.6"],
        "maven": "1.0",
    },
}
POM = """<?xml version="1.0" encoding="UTF-8"?>
<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example.shop</groupId>
  <artifactId>shop-service</artifactId>
  <version>1.0.0</version>
  <dependencies>
    <dependency>
      <groupId>org.example.libs</groupId>
      <artifactId>demo-lib</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""


def write_side(root: Path, side: dict) -> None:  # type: ignore[type-arg]
    """Write one side's three projects (web: npm, api: PyPI, service: Maven) under `root`."""
    web = root / "web"
    web.mkdir(parents=True, exist_ok=True)
    npm = side["npm"]
    dependencies = {name: version for name, (version, _) in npm.items()}
    manifest = {"name": "shop-web", "version": "1.0.0", "license": "MIT", "dependencies": dependencies}
    packages: dict[str, object] = {"": {"name": "shop-web", "version": "1.0.0", "license": "MIT", "dependencies": dependencies}}
    for name, (version, license_) in sorted(npm.items()):
        packages[f"node_modules/{name}"] = {"version": version, "resolved": f"https://registry.npm.example/{name}/-/{name}-{version}.tgz", "license": license_}
    (web / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    lock = {"name": "shop-web", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": packages}
    (web / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n")
    api = root / "api"
    api.mkdir(exist_ok=True)
    (api / "requirements.txt").write_text("\n".join(side["pypi"]) + "\n")
    service = root / "service"
    service.mkdir(exist_ok=True)
    (service / "pom.xml").write_text(POM.format(version=side["maven"]))


if __name__ == "__main__":
    for name, side in SIDES.items():
        write_side(FIXTURES / name, side)
