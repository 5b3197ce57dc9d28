"""The backprop page inside a notebook: two explorers in one notebook, executed by nbclient,
exported by nbconvert, opened in headless Chromium from file:// and over http, and stepped
with the keys and the buttons. Inside a notebook the page lives in an iframe's srcdoc, where
the browser refuses to change the address: the page must go on without it."""
import functools
import http.server
import threading

import nbclient
import nbconvert
import nbformat
import pytest

RIGHT, LEFT = "\ue014", "\ue012"                   # selenium's Keys.ARROW_RIGHT and ARROW_LEFT
# Nothing fetched from elsewhere: the lab template's MathJax and RequireJS are empty scripts here.
NOTHING = "data:text/javascript,"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The executed notebook exported to HTML, and the folder it is in."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from tinygrad_edu import viz\n"
                                  "from tinygrad_edu.examples.graphs import explore_sine, xor_loss"),
        nbformat.v4.new_code_cell("viz.explore(xor_loss())"),
        nbformat.v4.new_code_cell("explore_sine()"),
    ]
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    exporter = nbconvert.HTMLExporter(mathjax_url=NOTHING, require_js_url=NOTHING)
    body, _ = exporter.from_notebook_node(notebook)
    folder = tmp_path_factory.mktemp("notebook")
    (folder / "two_explorers.html").write_text(body, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def served(exported):
    """The exported folder served over http on this machine's loopback."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(exported)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/two_explorers.html"
    server.shutdown()
    server.server_close()


def step_of(browser):
    return int(browser.execute_script("return document.body.dataset.step"))


def step_through(browser, frame):
    """Inside one explorer's frame: the buttons and the keys move the step, and the panel follows."""
    browser.switch_to.frame(frame)
    try:
        steps = int(browser.execute_script("return document.getElementById('slider').max")) + 1
        assert step_of(browser) == 0
        assert browser.find_element("id", "panel").text.startswith(f"step 1 of {steps}")
        browser.find_element("id", "next").click()
        assert step_of(browser) == 1
        body = browser.find_element("tag name", "body")
        body.send_keys(RIGHT)
        body.send_keys(RIGHT)
        assert step_of(browser) == 3
        assert browser.find_element("id", "where").text.startswith(f"step 4 of {steps}")
        body.send_keys(LEFT)
        assert step_of(browser) == 2
        browser.find_element("id", "last").click()
        assert step_of(browser) == steps - 1
        assert browser.find_element("id", "panel").text.startswith(f"step {steps} of {steps}")
        browser.find_element("id", "first").click()
        return browser.find_element("tag name", "h1").text
    finally:
        browser.switch_to.default_content()


@pytest.mark.parametrize("where", ["file", "http"])
def test_two_explorers_in_an_exported_notebook_each_step_on_their_own(browser, exported, served, where):
    address = (exported / "two_explorers.html").as_uri() if where == "file" else served
    browser.get(address)
    browser.get_log("browser")
    frames = browser.find_elements("css selector", "iframe[srcdoc]")
    assert len(frames) == 2
    titles = [step_through(browser, frame) for frame in frames]
    assert titles[0].startswith("Backprop through binary") and titles[1].startswith("Sine")    # two graphs
    # Keys go to the page last clicked, as for any user; stepping it moves nothing in the other.
    browser.switch_to.frame(frames[0])
    browser.find_element("id", "next").click()
    browser.find_element("tag name", "body").send_keys(RIGHT)
    assert step_of(browser) == 2
    browser.switch_to.default_content()
    browser.switch_to.frame(frames[1])
    assert step_of(browser) == 0
    browser.switch_to.default_content()
    errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")
              and "favicon.ico" not in entry["message"]]        # the browser's own request to the server
    assert not errors, errors
