"""Tests of ospo_scan.licenses: SPDX wrapper, alias table, normalization, categories."""
