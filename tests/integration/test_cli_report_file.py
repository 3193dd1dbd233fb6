"""`kiosk report … -o FILE` where FILE cannot be written: one sentence, exit 1 (found by the
CLI fuzzer: a path under a regular file exited 70 with NotADirectoryError)."""

from __future__ import annotations


def test_a_report_into_a_path_that_cannot_be_written_is_one_sentence(cli, tmp_path):
    blocker = tmp_path / "0"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    for fmt in ("table", "csv", "json"):
        result = cli("report", "usage", "--format", fmt, "-o", str(blocker / "0"))
        assert result.code == 1, result.err
        assert result.err == (f"kiosk: Cannot write {blocker / '0'} (Not a directory); pick "
                              "another place to save it.\n")
