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
