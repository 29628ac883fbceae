"""Workbook 02 — the client's customer file.

Canonical tables every module of this package works on (pandas DataFrames):

customers (one row per customer/contact, as exported; duplicates possible)
    customer_id   str      the source's id (Shopify's leading apostrophe removed)
    email         str|NA
    phone         str|NA   as exported (normalised copies are made by the audit)
    first_name    str|NA
    last_name     str|NA
    company       str|NA
    address       str|NA   street lines joined with ", "
    postal_code   str|NA   kept as text (leading zeros)
    city          str|NA
    country       str|NA   ISO 3166 alpha-2 when the source gives it, else as exported
    birth_date    date|NA
    created_at    datetime|NA  account/contact creation
    last_contact_at datetime|NA  last e-mail open/click/contact when the source has it
    opt_in_email  bool|NA
    opt_in_sms    bool|NA
    source_line   int      line number in the source file (1 = header line for CSV)

transactions (one row per invoice/order line)
    customer_id   str
    date          datetime64
    amount        float    net amount in the engagement currency; refunds negative
    quantity      float|NA
    order_id      str|NA   invoice/order id; when missing an order = customer + date
    product       str|NA
    source_line   int

Only aggregates leave this package for deliverables; anything per person goes
to the run's working_dir.
"""

CUSTOMER_FIELDS = (
    "customer_id", "email", "phone", "first_name", "last_name", "company", "address", "postal_code", "city",
    "country", "birth_date", "created_at", "last_contact_at", "opt_in_email", "opt_in_sms",
)
TRANSACTION_FIELDS = ("customer_id", "date", "amount", "quantity", "order_id", "product")
