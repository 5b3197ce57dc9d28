"""out/index.html: the page a learner opens after `make demo`.

One static file, no script and nothing fetched: the claims table with its verdicts, the
course map in English and Chinese, every figure with a caption saying what to look at,
and links to the graph drawings, the backprop pages and the other seeds' figures. It
works offline from file://.
"""
import datetime
import os
from html import escape
from pathlib import Path

from .claims import QUICK_NOTE, failing_with_reason, tally, verdict

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 1180px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.holds { background: #e3f4e3; } td.fails { background: #fbe3e3; } td.unmeasured { background: #eee; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { color: #444; margin-top: 0.3em; }
code { background: #f4f4f4; padding: 0 0.2em; }
p.quick { background: #fff3c4; border: 1px solid #e0c050; padding: 0.6em 0.8em; font-weight: 600; }
"""


def write(path, rows, figures, course_map, seconds, command, other_seeds=(), quick=False, notebooks=None):
    """Write the page; `figures` is [(file relative to the page's folder, caption)], and the
    figures of each of `other_seeds` are in seeds/SEED/ beside it. A quick run says so first.
    `notebooks` maps an example to its chapter's notebook, linked where the file exists."""
    folder = Path(path).parent
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>tinygrad_edu: the course's claims, measured</title><style>{STYLE}</style></head><body>"]
    if quick:
        parts.append(f"<p id=\"quick\" class=\"quick\">{escape(QUICK_NOTE)}</p>")
    parts += ["<h1>tinygrad_edu: the course's claims, measured</h1>",
             f"<p><code>{escape(command)}</code> on "
             f"{datetime.date.today()}: {seconds:.0f} s on this machine. Each claim of the course is checked on every "
             "seed; it holds when it holds on more than half of them. The course reports single runs with no seed, "
             "so its figure is one draw; ours are the median and the range over the seeds. "
             + ("" if quick else escape(tally(rows)) + ". ") + "Also here: "
             "<a href=\"RESULTS.md\">RESULTS.md</a>, <a href=\"results.json\">results.json</a>.</p>",
             _claims_table(rows), _course_map(course_map, folder, notebooks or {}),
             "<h2 id=\"figures\">Figures (seed 0; a figure that compares ours with the course draws every seed)</h2>"]
    parts += [_figure(file, caption) for file, caption in figures]
    if other_seeds:
        parts.append("<h2>The other seeds' figures</h2><ul>")
        for seed in other_seeds:
            links = ", ".join(f"<a href=\"seeds/{seed}/{escape(file)}\">{escape(file)}</a>"
                              for file, _ in figures if (folder / "seeds" / str(seed) / file).exists())
            parts.append(f"<li>seed {seed}: {links}</li>")
        parts.append("</ul>")
    parts.append("</body></html>\n")
    Path(path).write_text("\n".join(parts), encoding="utf-8")


def _claims_table(rows):
    lines = ["<h2 id=\"claims\">The claims</h2><table id=\"claims-table\">"
             "<tr><th>§</th><th>the course says</th><th>the course</th>"
             "<th>ours: median (range)</th><th>seeds</th><th>verdict</th></tr>"]
    for row in rows:
        style = {True: "holds", False: "fails", None: "unmeasured"}[row["holds"]]
        cells = [row["section"], row["claim"], row["course"], row["ours"], ", ".join(map(str, row["seeds"]))]
        lines.append("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells)
                     + f"<td class=\"{style}\">{escape(verdict(row))}</td></tr>")
    lines.append("</table>")
    reasons = failing_with_reason(rows)
    if reasons:
        lines.append("<p>Why these do not hold (or cannot be measured here):</p><ul>")
        lines += [f"<li>{escape(row['section'])} {escape(row['claim'])}: {escape(row['why'])}</li>" for row in reasons]
        lines.append("</ul>")
    return "\n".join(lines)


def _course_map(course_map, folder, notebooks):
    lines = ["<h2 id=\"course-map\">Course map · 课程对照表</h2><table><tr><th>§</th><th>section</th><th>章节</th>"
             "<th>example</th><th>notebook</th></tr>"]
    for section, english, chinese, module in course_map:
        notebook = notebooks.get(module)
        link = ""
        if notebook is not None and Path(notebook).exists():
            href = Path(os.path.relpath(notebook, folder)).as_posix()
            link = f"<a href=\"{escape(href)}\">{escape(Path(notebook).name)}</a>"
        lines.append(f"<tr><td>{escape(section)}</td><td>{escape(english)}</td><td lang=\"zh\">{escape(chinese)}</td>"
                     f"<td><code>examples/{escape(module)}.py</code></td><td>{link}</td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _figure(file, caption):
    """An image with its caption; a page (.html) is a link with its caption."""
    name = escape(file)
    if file.endswith(".html"):
        return f"<p id=\"{name}\"><a href=\"{name}\">{name}</a>: {escape(caption)}</p>"
    return (f"<figure id=\"{name}\"><a href=\"{name}\"><img src=\"{name}\" alt=\"{escape(caption)}\"></a>"
            f"<figcaption><a href=\"{name}\">{name}</a>: {escape(caption)}</figcaption></figure>")
