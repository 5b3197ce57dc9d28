"""`tinygrad-edu readme RESULTS_JSON`: put one run's claims table into README.md and README.zh-CN.md.

The table, its reasons and the line that says which run made them (date, command, seeds,
time) are written between the markers START and END of each README, from the run's
results.json alone, and that file is kept as docs/results.json: the README never shows a
number a run did not write, and a test checks it against that file.
"""
import json
import shutil
from pathlib import Path

from . import claims

START = "<!-- results: written by `tinygrad-edu readme` from docs/results.json; do not edit by hand -->"
END = "<!-- /results -->"
READMES = {"README.md": False, "README.zh-CN.md": True}          # file → written in Chinese


def which_run(document, chinese=False):
    """The line that says which run the table comes from."""
    minutes = document["seconds"] / 60
    if chinese:
        return (f"下表来自 {document['date']} 的一次 `{document['command']}`：本机 {document['jobs']} 个进程，"
                f"用时 {minutes:.0f} 分钟。{claims.tally(document['claims'], chinese=True)}。")
    return (f"The table comes from one run of `{document['command']}` on {document['date']}: {minutes:.0f} minutes on "
            f"{document['jobs']} processes. {claims.tally(document['claims'])}.")


def block(document, chinese=False):
    if document.get("quick"):
        raise ValueError("readme: this results.json is from a quick run (--quick), which judges nothing; "
                         "run `make demo` for the table the README shows")
    return "\n".join([START, "", which_run(document, chinese), "", claims.markdown_table(document["claims"], chinese),
                      "", END])


def replace_block(text, new_block, path):
    if text.count(START) != 1 or text.count(END) != 1:
        raise ValueError(f"readme: {path} must hold the markers {START!r} and {END!r} once each")
    before, rest = text.split(START)
    _, after = rest.split(END)
    return before + new_block + after


def write(results_json, root="."):
    """Write the run of `results_json` into the READMEs under `root` and keep it as docs/results.json."""
    root, source = Path(root), Path(results_json)
    document = json.loads(source.read_text(encoding="utf-8"))
    updated = {}
    for name, chinese in READMES.items():
        path = root / name
        updated[path] = replace_block(path.read_text(encoding="utf-8"), block(document, chinese), path)
    for path, text in updated.items():                  # every README checked before any is written
        path.write_text(text, encoding="utf-8")
    kept = root / "docs" / "results.json"
    if source.resolve() != kept.resolve():
        shutil.copyfile(source, kept)
    return list(updated) + [kept]
