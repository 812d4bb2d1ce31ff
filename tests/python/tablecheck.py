"""Checks a result's DataFrames against their documented column specs (shared by the
test files)."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence, Tuple

import pandas as pd


def assert_tables_match_specs(
    result: Any, specs: Mapping[str, List[Tuple[str, str, str]]], categories: Mapping[str, Sequence[str]]
) -> Dict[str, pd.DataFrame]:
    """Every table ``getattr(result, name)`` has exactly the columns of its spec, in
    order, with their dtypes; an ordered categorical has the categories given for it.
    Returns the tables."""
    tables = {}
    for name, spec in specs.items():
        df = getattr(result, name)
        assert isinstance(df, pd.DataFrame), name
        assert list(df.columns) == [c for c, _, _ in spec], name
        for column, dtype, _ in spec:
            if dtype.startswith("category:"):
                assert isinstance(df[column].dtype, pd.CategoricalDtype) and df[column].cat.ordered, (name, column)
                assert list(df[column].cat.categories) == list(categories[dtype[9:]]), (name, column)
            else:
                assert str(df[column].dtype) == dtype, (name, column, df[column].dtype)
        tables[name] = df
    return tables
