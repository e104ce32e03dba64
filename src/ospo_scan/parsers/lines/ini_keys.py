"""Line numbers of option values in INI files (setup.cfg), which configparser does not keep."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ospo_scan.parsers.lines.text import TextLines


class IniLines(TextLines):
    """An INI file's text: the lines of the items of an option's value."""

    def option_lines(self, section: str, key: str, values: Sequence[str]) -> list[int | None]:
        """Lines of the items `values`, in order, of option `key` in `[section]`.

        The search starts after the option's `key =` (or `key:`) in the section, or after
        the section header when the option is not found, or at the top of the file.
        """
        start = 0
        header = re.compile(rf"^[ \t]*\[{re.escape(section)}\]", re.MULTILINE).search(self.text)
        if header is not None:
            start = header.end()
            option = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*[=:]", re.MULTILINE | re.IGNORECASE)
            found_key = option.search(self.text, start)
            start = found_key.end() if found_key is not None else start
        return self.value_lines(values, start)
