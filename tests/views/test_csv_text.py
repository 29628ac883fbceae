"""The column-at-a-time CSV writer writes pandas' exact bytes, or declines."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relkit.views.excel import csv_text, safe_cells

TEXT = st.text(alphabet=st.sampled_from(list("aé Z,\"\r\n;'=+-0.9\t€")), max_size=8)


def _pandas_bytes(frame, tmp_path, **kwargs) -> bytes:
    path = tmp_path / "pandas.csv"
    frame.to_csv(path, encoding="utf-8", lineterminator="\r\n", **kwargs)
    return path.read_bytes()


def _ours(frame, tmp_path, **kwargs) -> bytes | None:
    path = tmp_path / "ours.csv"
    path.unlink(missing_ok=True)  # hypothesis runs every example in the same folder
    if not csv_text.write(frame, path, encoding="utf-8", **kwargs):
        assert not path.exists()
        return None
    return path.read_bytes()


@st.composite
def columns(draw, n: int):
    kind = draw(st.sampled_from(["float", "int", "bool", "boolean", "dates", "datetimes", "seconds", "object", "str", "category"]))
    if kind == "float":
        values = draw(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=n, max_size=n))
        return pd.Series(values, dtype="float64")
    if kind == "int":
        return pd.Series(draw(st.lists(st.integers(-2**63, 2**63 - 1), min_size=n, max_size=n)), dtype="int64")
    if kind == "bool":
        return pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    if kind == "boolean":  # nullable (opt-ins)
        return pd.Series(draw(st.lists(st.one_of(st.none(), st.booleans()), min_size=n, max_size=n)), dtype="boolean")
    if kind in ("dates", "datetimes", "seconds"):
        early = draw(st.sampled_from([dt.datetime(1900, 1, 1), dt.datetime(990, 1, 1)]))  # pandas pads years < 1000
        moments = st.datetimes(early, dt.datetime(2200, 1, 1))
        if kind == "dates":
            moments = moments.map(lambda m: dt.datetime(m.year, m.month, m.day))
        if kind == "seconds":  # what exports hold: times without fractions
            moments = moments.map(lambda m: m.replace(microsecond=0))
        values = draw(st.lists(st.one_of(st.none(), moments), min_size=n, max_size=n))
        unit = draw(st.sampled_from(["ns", "us", "s"])) if early.year >= 1678 else draw(st.sampled_from(["us", "s"]))
        return pd.Series(pd.to_datetime(values), dtype="object").astype(f"datetime64[{unit}]")
    values = draw(st.lists(st.one_of(st.none(), TEXT), min_size=n, max_size=n))
    if kind == "object":
        return pd.Series(values, dtype=object)
    if kind == "str":
        cut = draw(st.integers(0, n))  # a column pandas concatenated is held in two Arrow chunks
        return pd.concat([pd.Series(values[:cut], dtype="str"), pd.Series(values[cut:], dtype="str")],
                         ignore_index=True)
    return pd.Series(values, dtype="category")


@st.composite
def frames(draw):
    n = draw(st.integers(0, 12))
    width = draw(st.integers(1, 4))
    names = draw(st.lists(TEXT, min_size=width, max_size=width))
    frame = pd.DataFrame({i: draw(columns(n)) for i in range(width)})
    frame.columns = names
    index = draw(st.sampled_from(["range", "text", "dates"]))
    if index == "text":
        frame.index = pd.Index(draw(st.lists(TEXT, min_size=n, max_size=n)), dtype=object,
                               name=draw(st.one_of(st.none(), TEXT)))
    elif index == "dates":
        frame.index = pd.DatetimeIndex(draw(columns(n).filter(lambda c: c.dtype.kind == "M")), name="jour")
    return frame


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=frames(), index=st.booleans())
def test_same_bytes_as_pandas(tmp_path, frame, index):
    ours = _ours(frame, tmp_path, index=index)
    assert ours is not None
    assert ours == _pandas_bytes(frame, tmp_path, index=index)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.none(), TEXT), min_size=0, max_size=10), name=TEXT)
def test_a_lone_column_writes_empty_cells_as_the_csv_module_does(tmp_path, values, name):
    """One field a row: the csv module writes an empty one as "" (and so must we)."""
    frame = pd.DataFrame({name: pd.Series(values, dtype="str")})
    assert _ours(frame, tmp_path, index=False) == _pandas_bytes(frame, tmp_path, index=False)


def test_a_named_series_with_its_index(tmp_path):
    series = pd.Series([1.5, np.nan, 1e-7, 12345678901234.0], name="valeur",
                       index=pd.Index(["C1", "C,2", 'C"3', None], name="customer_id"))
    assert _ours(series, tmp_path) == _pandas_bytes(series, tmp_path)


def test_more_rows_than_one_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_text, "_CHUNK_CELLS", 21)  # 7 rows a chunk
    frame = pd.DataFrame({"id": [f"C{i}" for i in range(50)], "x": np.arange(50) / 3,
                          "when": pd.date_range("2024-01-01", periods=50, freq="D")})
    assert _ours(frame, tmp_path, index=False) == _pandas_bytes(frame, tmp_path, index=False)


def test_dates_shown_with_times_chunk_by_chunk_as_pandas_does(tmp_path):
    """pandas formats 100 000 cells at a time and shows times only in the chunks
    that have some: 20 columns make chunks of 5 000 rows."""
    rows = 12_000
    when = pd.Series(pd.date_range("2024-01-01", periods=rows, freq="D").as_unit("us"))
    when.iloc[7_000] += pd.Timedelta(hours=9, minutes=30)  # a time in the second chunk only
    frame = pd.DataFrame({f"c{i}": np.arange(rows) * i for i in range(19)}).assign(when=when)
    ours = _ours(frame, tmp_path, index=False)
    assert ours == _pandas_bytes(frame, tmp_path, index=False)
    assert b"\r\n2024-01-01\r\n" not in ours and b",2024-01-01\r\n" in ours  # first chunk: dates only
    second = when.iloc[5_000].strftime("%Y-%m-%d 00:00:00")
    assert f",{second}\r\n".encode() in ours  # the chunk of row 7 000 shows times, from its first row


@pytest.mark.parametrize("frame, kwargs", [
    (pd.DataFrame({"a": [1, "x"]}), {}),  # a number among texts: pandas' str()
    (pd.DataFrame({"a": [1.0]}, dtype="Float64"), {}),  # a nullable number
    (pd.DataFrame({"a": pd.to_datetime(["2024-01-01"]).tz_localize("Europe/Paris")}), {}),
    (pd.DataFrame({"a": [1]}, index=pd.MultiIndex.from_tuples([("x", 1)])), {}),
    (pd.DataFrame({0: [1]}), {}),  # a label that is not a text
    (pd.Series([1.0]), {}),  # unnamed: pandas labels it 0
    (pd.DataFrame({"a": [1]}), {"sep": ";"}),
    (pd.DataFrame({"a": [1]}), {"lineterminator": "\n"}),
    (pd.DataFrame({"a": [1]}), {"encoding": "latin-1"}),
    (pd.DataFrame({"a": pd.Categorical([1, 2])}), {}),  # categories that are not texts
])
def test_declines_what_it_cannot_reproduce(tmp_path, frame, kwargs):
    assert not csv_text.write(frame, tmp_path / "f.csv", **kwargs)
    assert not (tmp_path / "f.csv").exists()
    safe_cells.to_csv(frame, tmp_path / "g.csv", **kwargs)  # pandas writes it instead
    assert (tmp_path / "g.csv").exists()


def test_safe_cells_writes_pandas_text_of_the_neutralised_frame(tmp_path):
    frame = pd.DataFrame({"nom": ["=cmd|' /C calc'!A0", "Durand, Zoé", None], "montant": [-45.5, 1300.0, np.nan],
                          "segment": pd.Categorical(["@SUM(1)", "Fidèles", "Fidèles"])})
    safe_cells.to_csv(frame, tmp_path / "f.csv", index=False, encoding="utf-8")
    expected = safe_cells.safe_frame(frame)
    assert (tmp_path / "f.csv").read_bytes() == _pandas_bytes(expected, tmp_path, index=False)
    assert (tmp_path / "f.csv").read_bytes().startswith(b"nom,montant,segment\r\n'=cmd|' /C calc'!A0,-45.5,'@SUM(1)")


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**17, 10**17).map(float)
                       | st.decimals(-10**6, 10**6, places=2, allow_nan=False).map(float), max_size=50))
def test_float_texts_are_python_reprs(values):
    """Arrow's digits, Python's notation: whole numbers, tiny and huge ones, -0.0, nan, inf."""
    array = np.array(values, dtype=np.float64)
    assert csv_text.float_texts(array).tolist() == [repr(v) for v in array.tolist()]


def test_float_texts_on_every_kind_of_double():
    """Two hundred thousand random bit patterns (every exponent, subnormals, nan)."""
    array = np.random.default_rng(7).integers(-2**63, 2**63 - 1, 200_000, dtype=np.int64).view(np.float64)
    assert csv_text.float_texts(array).tolist() == [repr(v) for v in array.tolist()]


def test_export_dates_are_written_by_arrow_as_pandas_writes_them(tmp_path):
    """Days, times to the second, missing dates and an empty column: Arrow's text, pandas' bytes."""
    frame = pd.DataFrame({
        "day": pd.Series(pd.to_datetime(["2024-11-01", None, "1999-12-31"])).astype("datetime64[s]"),
        "at": pd.to_datetime(["2024-11-01 09:30:00", None, "2024-11-01 00:00:00"]),
        "none": pd.Series(pd.to_datetime([None, None, None])).astype("datetime64[us]"),
        "fraction": pd.to_datetime(["2024-11-01 09:30:00.250", "2024-11-01 00:00:00.000", None]),  # pandas' own text
    })
    ours = _ours(frame, tmp_path, index=False)
    assert ours == _pandas_bytes(frame, tmp_path, index=False)
    assert ours.decode().splitlines()[1] == "2024-11-01,2024-11-01 09:30:00,,2024-11-01 09:30:00.250"
