"""The course's notebooks: each .ipynb matches its reviewable .py source (jupytext), every one
runs to the end without an error in the quick setting, and an executed notebook exported to
HTML shows its graph and a backprop page that works in headless Chromium."""
import base64
import json
from pathlib import Path

import jupytext
import nbclient
import nbconvert
import pytest

from tinygrad_edu import demo

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("*.py"))
NOTHING = "data:text/javascript,"          # the lab template's MathJax and RequireJS: nothing fetched


def test_every_notebook_has_its_source_and_the_course_map_links_each_one():
    assert [path.stem for path in SOURCES] == sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb"))
    assert len(SOURCES) == 6
    assert set(demo.NOTEBOOKS.values()) <= {path.stem for path in SOURCES}
    for readme in ("README.md", "README.zh-CN.md"):
        text = (NOTEBOOKS.parent / readme).read_text(encoding="utf-8")
        for path in SOURCES:
            assert f"(notebooks/{path.stem}.ipynb)" in text, (readme, path.stem)


@pytest.mark.parametrize("source", SOURCES, ids=[path.stem for path in SOURCES])
def test_the_ipynb_holds_the_cells_of_its_source(source):
    def cells(notebook):
        return [(cell.cell_type, cell.source) for cell in notebook.cells]
    assert cells(jupytext.read(source)) == cells(jupytext.read(source.with_suffix(".ipynb")))
    stored = json.loads(source.with_suffix(".ipynb").read_text(encoding="utf-8"))
    assert not any(cell.get("outputs") for cell in stored["cells"])       # outputs come from a run, never stored


def executed(source, tmp_path, monkeypatch):
    monkeypatch.setenv("TINYGRAD_EDU_QUICK", "1")                  # the kernel inherits it: short budgets
    notebook = jupytext.read(source)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    return notebook


@pytest.mark.parametrize("source", SOURCES, ids=[path.stem for path in SOURCES])
def test_every_notebook_runs_to_the_end(source, tmp_path, monkeypatch):
    notebook = executed(source, tmp_path, monkeypatch)          # a cell that raises fails the test here
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.output_type == "error"]
    kinds = {kind for output in outputs for kind in output.get("data", {})}
    assert "text/html" in kinds or "image/svg+xml" in kinds       # a graph or a backprop page is shown
    printed = "".join(output.get("text", "") for output in outputs)
    if source.stem.startswith("ch"):
        assert "course" in printed and "ours" in printed          # the course's result beside ours


def test_an_exported_notebook_shows_its_graph_and_a_working_backprop_page(browser, tmp_path, monkeypatch):
    notebook = executed(NOTEBOOKS / "ch10_binary_classification.py", tmp_path, monkeypatch)
    body, _ = nbconvert.HTMLExporter(mathjax_url=NOTHING, require_js_url=NOTHING).from_notebook_node(notebook)
    page = tmp_path / "ch10.html"
    page.write_text(body, encoding="utf-8")
    browser.get(page.as_uri())
    browser.get_log("browser")
    # draw_module's drawing: nbconvert embeds it as an SVG image, which must load and name W1, Z1.
    drawings = browser.execute_script("return [...document.querySelectorAll('.jp-RenderedSVG img')]"
                                      ".filter(img => img.complete && img.naturalWidth > 0).map(img => img.src)")
    assert len(drawings) == 1
    svg = base64.b64decode(drawings[0].split(",", 1)[1]).decode("utf-8")
    assert ">W1<" in svg and ">Z1<" in svg and ">A1<" in svg
    frame = browser.find_element("css selector", "iframe[srcdoc]")
    browser.switch_to.frame(frame)
    try:
        browser.find_element("id", "next").click()
        browser.find_element("id", "next").click()
        assert browser.execute_script("return document.body.dataset.step") == "2"
        assert browser.find_element("id", "panel").text.startswith("step 3 of")
        assert "in: W2 (2.weight)" in browser.find_element("id", "panel").text   # the step Z2 = A1·W2 + B2
    finally:
        browser.switch_to.default_content()
    assert not [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
