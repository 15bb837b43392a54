"""The suite's own collection rules (tests/conftest.py)."""

import re
from types import SimpleNamespace

import pytest

from tests.conftest import pytest_collection_modifyitems


def collected(nodeid, *marks):
    item = SimpleNamespace(nodeid=nodeid, added=[])
    item.iter_markers = lambda: [SimpleNamespace(name=mark) for mark in marks]
    item.add_marker = item.added.append
    return item


def test_two_tests_sharing_an_id_stop_the_run_before_any_runs():
    items = [collected("tests/test_x.py::test_a"), collected("tests/test_x.py::test_a"), collected("t.py::b")]
    with pytest.raises(pytest.UsageError, match=re.escape("tests/test_x.py::test_a")):
        pytest_collection_modifyitems(items)


def test_a_slow_kind_is_also_slow():
    fuzzing, quick = collected("t.py::fuzz", "fuzzing"), collected("t.py::quick")
    pytest_collection_modifyitems([fuzzing, quick])
    assert [mark.name for mark in fuzzing.added] == ["slow"]
    assert quick.added == []
