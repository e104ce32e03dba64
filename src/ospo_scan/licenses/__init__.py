"""Licenses: from whatever an ecosystem declares to an SPDX expression, a category and evidence.

Modules (one job each):
- spdx.py: the one wrapper around license-expression (its Licensing object is built once).
- aliases.py + aliases.toml: the data table of real-world license names, URLs and
  classifiers that are not SPDX ids.
- normalize.py: free text -> SPDX expression, or a precise reason why not.
- categories.py: SPDX expression -> risk category (permissive ... unknown), with the reason.
- local_*.py / text_match.py: evidence from local installations and license texts.
- findings.py: each place that says something (a curation, a lock entry, a manifest, an
  installation, a license text) as a ranked finding with its file and field.
- conclude.py: the evidence order, and what happens when places disagree.
- classify.py: the license stage of the scan, which consults every place and concludes.
"""
