"""Building blocks of the HTML report (reporters/html_report.py): escaping, tables and
charts as inline SVG, plus the CSS and script the page carries inline (package data).

Kept apart from the report's sections so that everything touching markup safety is in
one small place (markup.py) and reviewed there.
"""
