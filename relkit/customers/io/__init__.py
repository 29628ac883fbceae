"""Read the client's customer and sales exports into the canonical tables.

Exports come from Shopify, HubSpot, Mailchimp, Brevo, Dolibarr, Odoo,
WooCommerce or a billing tool, as CSV/TXT (any separator, UTF-8 or cp1252)
or .xlsx. The bulk read is pyarrow's multi-threaded CSV reader with every
column as text; values are then parsed column-wise with pyarrow and numpy, so
millions of lines import in seconds and every bad value is reported with its
line number. Header names per tool live in presets.yaml.

One job per module, in the order an import runs:

- ``schema``: the canonical tables' fields and dtypes, ``SourceSpec``, ``Imported``, ``ImportFailed``
- ``presets``: the vendor presets (``presets.yaml``)
- ``columns``: header matching, which column holds each field
- ``read``: opening a CSV/TXT or .xlsx file into columns of text
- ``values``, ``dates``: typing the text (amounts, flags, dates), bad values reported
- ``build``: rows kept or skipped, columns parsed, the canonical table assembled
- ``source``: ``read_source``, one declared export from declaration to table
- ``derived``: orders, customers derived from sales, sales linked by e-mail
"""
