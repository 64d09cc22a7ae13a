"""The transnational recommendation: a programme's synthesis as a document, in every format.

Each module is a ``render(synthesis, language, base_url) -> bytes`` over the
model of exports/synthesis.py, as the strategy draft's modules are over
draft.py: ``md``, ``json`` (docs/export-schema.md), ``docx``, ``pdf``,
``xlsx`` (a sheet per section) and ``csv`` (one row per piece of evidence).
``labels`` holds their words; ``table`` the spreadsheet rows.

Contents: the title page (programme, regions, partner organisations,
workshops and their dates, counts), the numbered recommendations with their
evidence (quotes tagged with region and language), SOAR across regions,
the coverage matrix, and one annex per region.
"""
