"""The yearly supply-chain disclosure: HKEX ESG Aspect B5 (B5.1–B5.4), GRI 308-1/308-2/414-1/414-2 and the KPI
table with the two previous years (issues 6 and 12). Definitions: docs/disclosure.md.

One module per part, imported by name (`from supplychain.services.disclosure import reporting_year`); this file
re-exports nothing. From the bottom floor up: `definitions` (settings, figure codes, values), `statuses`,
`criteria`, `breakdowns`, `terminations`, `impacts`, `compute` (one year's figures), `entries` (what an editor
enters: baselines, restatements, targets, policies, narratives), `spend_ledger`, `reporting_year` (a year with
the two before it), `figure_records`, `formatting`, `narrative_texts`, `checks`, `region_table`, `downloads`
(CSV, XLSX, PDF), `publication`, `web_page` and `editor_pages`.
"""
