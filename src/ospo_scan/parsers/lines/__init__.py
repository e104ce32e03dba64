"""Line numbers of keys and values, which the format libraries (json, PyYAML, tomllib,
configparser) do not keep: the one place where parsers find them, one module per syntax.

- json_keys: `key_lines(text, wanted, enter)`, the line of every object key whose parent
  path is `wanted`, entering only the containers `enter` allows;
- yaml_keys: `key_lines(text, wanted, enter)`, the same for block-style YAML, per document
  (here `wanted` is asked about the key's own path);
- toml_keys: `TomlLines(text)`: keys and tables by key path, the strings of an array, the
  entries of an array of tables;
- ini_keys: `IniLines(text)`: the values of an INI option;
- text: `TextLines`, what the TOML and INI finders share (offset -> line, forward search),
  also used alone for plain text (a requirements file that setup.cfg includes).

Each reads the text once (JSON, YAML) or indexes it once on first use (TOML), so finding
the line of every entry of a large lockfile stays linear. Each may miss a line for an
unusual layout (the result is then None or absent), never invents one, and never raises.
"""

from __future__ import annotations

KeyPath = tuple[str, ...]
"""Keys from the document root down to a member, e.g. ("packages", "node_modules/a")."""
