"""Property: any small billing table written the ways real exports are
(separator, encoding, quoting, header spelling, blank lines, trailing
separators, CRLF) is either imported exactly or refused with one-line problems."""
import csv
import datetime as dt
import io
import unicodedata

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from relkit.customers.io.schema import ImportFailed, SourceSpec
from relkit.customers.io.source import read_source

NAME_CHARS = "abcdefghijklmnopqrstuvwxyzéèêàçôûÉÈ' -\";,|\t"
HEADERS = {"customer_id": "Code client", "date": "Date facture", "amount": "Montant TTC", "product": "Libellé"}


def unaccent(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


header_variant = st.sampled_from(["plain", "upper", "lower", "unaccented", "unit", "trailing spaces"])


def spell(header: str, variant: str) -> str:
    return {"plain": header, "upper": header.upper(), "lower": header.lower(), "unaccented": unaccent(header),
            "unit": f"{header} (€)" if header == "Montant TTC" else header, "trailing spaces": header + "  "}[variant]


rows = st.lists(st.tuples(
    st.from_regex(r"C[0-9]{1,4}", fullmatch=True),
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    st.decimals(min_value=-9999, max_value=99999, places=2, allow_nan=False, allow_infinity=False),
    st.text(NAME_CHARS, min_size=1, max_size=12).filter(lambda s: s.strip() == s and s.strip()),
), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows, sep=st.sampled_from([";", ",", "\t", "|"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]), variant=header_variant,
       blank_lines=st.booleans(), trailing=st.booleans(), newline=st.sampled_from(["\n", "\r\n"]),
       decimal_comma=st.booleans())
def test_written_table_is_read_back_exactly_or_refused_in_one_line_problems(
        tmp_path, rows, sep, encoding, quoting, variant, blank_lines, trailing, newline, decimal_comma):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, quoting=quoting, lineterminator=newline)
    header = [spell(h, variant) for h in HEADERS.values()]
    writer.writerow(header + ([""] if trailing else []))
    for i, (cid, day, amount, label) in enumerate(rows):
        text = f"{amount:.2f}".replace(".", ",") if decimal_comma else f"{amount:.2f}"
        writer.writerow([cid, day.strftime("%d/%m/%Y"), text, label] + ([""] if trailing else []))
        if blank_lines and i == 0:
            buf.write(newline)
    text = buf.getvalue()
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    path = tmp_path / "ventes.csv"
    path.write_bytes(data)
    try:
        f = read_source(SourceSpec("transactions", path)).frame
    except ImportFailed as err:
        event("refused")
        assert err.problems and all("\n" not in str(p) and str(p).startswith(str(path)) for p in err.problems)
        # every header spelling generated here is one relkit promises to match
        assert not any("no column for" in str(p) for p in err.problems), err
        return
    event("imported")
    assert f["customer_id"].tolist() == [r[0] for r in rows]
    assert f["date"].tolist() == [pd.Timestamp(r[1]) for r in rows]
    assert f["amount"].tolist() == [float(r[2]) for r in rows]
    assert f["product"].tolist() == [r[3] for r in rows]
