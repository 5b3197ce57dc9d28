"""The Python snippets in README.md run as written."""
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
SNIPPETS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_snippets():
    assert len(SNIPPETS) >= 2


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_readme_snippet_runs(index, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                 # what a snippet writes (out/...) lands in a scratch folder
    exec(compile(SNIPPETS[index], f"README.md snippet {index}", "exec"), {})


def test_the_readme_results_are_the_recorded_runs_table_word_for_word():
    """The README's table, reasons and 'which run' line are what `tinygrad-edu readme` writes from
    docs/results.json, the results.json of the run they come from: nothing typed in by hand."""
    import json

    from tinygrad_edu import readme_results

    document = json.loads((README.parent / "docs" / "results.json").read_text(encoding="utf-8"))
    assert document["quick"] is False and document["date"] and document["command"].startswith("tinygrad-edu demo")
    for name, chinese in readme_results.READMES.items():
        text = (README.parent / name).read_text(encoding="utf-8")
        assert readme_results.block(document, chinese) in text, name


def test_the_readme_tool_refuses_a_quick_run_and_a_readme_without_its_markers(tmp_path):
    import json

    from tinygrad_edu import readme_results

    quick = tmp_path / "quick.json"
    quick.write_text(json.dumps({"claims": [], "quick": True, "seconds": 1, "date": "2026-12-04", "command": "x",
                                 "jobs": 2}), encoding="utf-8")
    for name in readme_results.READMES:
        (tmp_path / name).write_text(f"before\n{readme_results.START}\nold\n{readme_results.END}\nafter\n",
                                     encoding="utf-8")
    with pytest.raises(ValueError, match="quick run"):
        readme_results.write(quick, tmp_path)
    full = tmp_path / "full.json"
    full.write_text(json.dumps({"claims": [], "quick": False, "seconds": 1200, "date": "2026-12-04",
                                "command": "tinygrad-edu demo --seeds 3", "jobs": 2}), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.zh-CN.md").write_text("no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must hold the markers"):
        readme_results.write(full, tmp_path)
    assert "old" in (tmp_path / "README.md").read_text(encoding="utf-8")   # nothing half-written
    (tmp_path / "README.zh-CN.md").write_text(f"{readme_results.START}{readme_results.END}", encoding="utf-8")
    readme_results.write(full, tmp_path)
    english = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert english.startswith("before\n") and english.endswith("after\n") and "\nold\n" not in english
    assert "one run of `tinygrad-edu demo --seeds 3` on 2026-12-04: 20 minutes on 2 processes" in english
    assert (tmp_path / "docs" / "results.json").read_text(encoding="utf-8") == full.read_text(encoding="utf-8")


def test_the_readme_results_are_the_claims_table_in_both_languages():
    from tinygrad_edu import demo

    english = README.read_text(encoding="utf-8")
    chinese = README.with_name("README.zh-CN.md").read_text(encoding="utf-8")
    for *_, name in demo.COURSE_MAP:
        for claim in demo.experiment(name).CLAIMS:
            assert f"| {claim.section} | {claim.claim} | {claim.course.replace('|', chr(92) + '|')} |" in english, \
                claim.claim
            assert f"| {claim.section} | {claim.zh} |" in chinese, claim.zh


def test_the_chinese_readme_teaches_with_the_same_code():
    def code_blocks(text):
        return re.findall(r"```\w*\n.*?```", text, flags=re.S)
    english = code_blocks(README.read_text(encoding="utf-8"))
    chinese = code_blocks(README.with_name("README.zh-CN.md").read_text(encoding="utf-8"))
    assert len(english) >= 8 and chinese == english


def test_the_readmes_cite_only_files_in_the_repository():
    root = README.parent
    for readme in (README, README.with_name("README.zh-CN.md")):
        text = readme.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#]+)\)", text):
            if not target.startswith("http"):
                assert (root / target).exists(), (readme.name, target)
        assert "COURSE.md" not in text.replace("docs/COURSE.md", "")
