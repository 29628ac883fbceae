"""The engagement validated by `relkit run` is read back by the kernels only while its files are unchanged."""
import os
import pickle

import pytest

import relkit.workbooks.session as session_module
from relkit.intake import handover
from relkit.intake.load import load
from relkit.workbooks.session import Session


@pytest.fixture
def loaded(demo):
    return load(demo)


def test_the_kept_engagement_is_the_validated_one_without_exports(loaded, demo, tmp_path):
    handover.keep(loaded, tmp_path / "working")
    back = handover.kept(demo, tmp_path / "working")
    assert back is not None and loaded.imports  # the demo has exports; they are saved apart
    assert back.imports == {}
    assert back.engagement == loaded.engagement
    assert back.comments == loaded.comments and back.brand == loaded.brand
    assert back.folder == demo.resolve()
    assert sorted(back.sheets) == sorted(loaded.sheets)
    for name, frame in loaded.sheets.items():
        assert back.sheets[name].equals(frame), name


def test_nothing_kept_nothing_read(demo, tmp_path):
    assert handover.kept(demo, tmp_path) is None
    assert handover.kept(demo, None) is None


def _touch_later(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("change", ["workshop saved", "yaml edited", "comment added", "file removed"])
def test_a_changed_engagement_is_validated_again(loaded, demo, tmp_path, change):
    handover.keep(loaded, tmp_path)
    if change == "workshop saved":
        _touch_later(demo / "atelier.xlsx")
    elif change == "yaml edited":
        (demo / "engagement.yaml").write_text((demo / "engagement.yaml").read_text(encoding="utf-8") + "\n",
                                              encoding="utf-8")
    elif change == "comment added":
        (demo / "commentaires").mkdir(exist_ok=True)
        (demo / "commentaires" / "swot.md").write_text("Un mot.", encoding="utf-8")
    else:
        (demo / "exports" / "manifest.json").unlink()
    assert handover.kept(demo, tmp_path) is None


def test_a_brand_file_above_the_folder_counts(loaded, demo, tmp_path):
    brand = demo.parent / "_brand.yml"
    brand.write_text("meta:\n  name: Cabinet\n", encoding="utf-8")
    try:
        data = load(demo)
        handover.keep(data, tmp_path / "w")
        assert handover.kept(demo, tmp_path / "w") is not None
        brand.write_text("meta:\n  name: Cabinet Dubois\n", encoding="utf-8")
        assert handover.kept(demo, tmp_path / "w") is None
    finally:
        brand.unlink()


def test_another_engagement_never_reads_it(loaded, demo, tmp_path):
    handover.keep(loaded, tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    assert handover.kept(other, tmp_path) is None


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(("just", "a tuple"))[:-3]])
def test_a_damaged_file_is_ignored(demo, tmp_path, content):
    (tmp_path / handover.HANDOVER_FILE).write_bytes(content)
    assert handover.kept(demo, tmp_path) is None


def test_a_session_uses_the_kept_engagement(loaded, demo, tmp_path, monkeypatch):
    handover.keep(loaded, tmp_path)

    def no_second_validation(*_a, **_k):
        raise AssertionError("validated again")

    monkeypatch.setattr(session_module, "load", no_second_validation)
    s = Session(demo, "01_diagnostic", output_dir=tmp_path / "out", working_dir=tmp_path)
    assert s.engagement == loaded.engagement


def test_a_session_without_it_validates(demo, tmp_path):
    s = Session(demo, "01_diagnostic", output_dir=tmp_path / "out", working_dir=tmp_path)
    assert s.engagement == load(demo, import_exports=False).engagement
