"""derived.is_in: pandas' isin on customer ids, by Arrow (same answers)."""
import numpy as np
import pandas as pd
from hypothesis import given, strategies as st

from relkit.customers.io.derived import is_in
from relkit.customers.io.schema import STR

ids = st.lists(st.one_of(st.none(), st.sampled_from(["C1", "C2", "c1", "é3", "", " C1"])), max_size=12)


def test_keeps_index_and_never_matches_missing():
    values = pd.Series(["C1", None, "C3", "C1"], dtype=STR, index=[10, 11, 12, 13])
    out = is_in(values, ["C1", None])
    assert out.tolist() == [True, False, False, True]
    assert out.index.tolist() == [10, 11, 12, 13]
    assert is_in(values, pd.Index(["C3"], dtype=STR)).tolist() == [False, False, True, False]
    assert is_in(values, []).tolist() == [False] * 4


@given(ids, ids)
def test_same_as_pandas_isin(values, allowed):
    series = pd.Series(values, dtype=STR)
    expected = series.isin([a for a in allowed if a is not None]) & series.notna()
    assert is_in(series, allowed).to_numpy(bool).tolist() == expected.to_numpy(bool).tolist()
