"""The course's claims as checks: each one measured on several seeds, with a verdict.

An experiment returns, for one seed, a dict of measurements (a number, a tuple of
numbers, `math.inf` for "never reached", or None for "not measurable here"). A `Claim`
names the measurement it reads and the check it makes on one seed's value; `judge`
runs the check on every seed and writes the median and range beside the course's figure.
The course reports single runs with no seed, so a claim holds when its check passes on
more than half of the seeds.

A reason is never typed in from an earlier run: it is a template that this run's values
fill ({values}: each seed's value of the claim's measurement; a name of `quotes`: each
seed's value of another measurement), so it cannot state a number the run did not measure.
"""
import datetime
import json
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Claim:
    section: str                      # the course's section, e.g. "10.3"
    claim: str                        # what the course says, written as a check
    course: str                       # the course's own figure
    key: str                          # the measurement of the experiment it reads
    check: Callable                   # one seed's value → does the claim hold on that seed?
    holds_for: tuple = ()             # values the check must pass, and values it must fail: the
    fails_for: tuple = ()             # claim's edges written out (tests run the check on both)
    fmt: str = "{:.3g}"               # how one number of the value is written
    why: str = "seed by seed: {values}."  # when it does not hold: the reason, a template this run's values fill
    instead: tuple = ()               # when not measurable here: (what, key) of a measurement shown in its place
    zh: str = ""                      # the claim in Chinese, for the course's own readers
    why_zh: str = "各种子：{values}。"      # the reason in Chinese
    quotes: tuple = ()                # (name, key): the reason's {name} is each seed's value of measurement `key`
    illustration: bool = False        # the course measures nothing here: shown, never judged or counted


def median_and_range(values, fmt, never="never"):
    """'m (lo–hi)' over the seeds; a tuple value gives one such per component, joined by ' / '."""
    columns = np.array(values, dtype=float).reshape(len(values), -1).T
    parts = []
    for column in columns:
        median, low, high = np.median(column), column.min(), column.max()
        text = _number(median, fmt, never)
        if low != high:
            text += f" ({_number(low, fmt, never)}–{_number(high, fmt, never)})"
        parts.append(text)
    return " / ".join(parts)


def _number(x, fmt, never):
    return never if x == math.inf else fmt.format(x).replace("-", "−")


def per_seed(by_seed, key, fmt, chinese=False):
    """'seed 0: 6250 / 4150; seed 1: never / 3300': each seed's value of measurement `key`."""
    never, seed, colon, between = ("未达到", "种子 ", "：", "；") if chinese else ("never", "seed ", ": ", "; ")
    parts = []
    for s in sorted(by_seed):
        value = by_seed[s][key]
        numbers = value if isinstance(value, tuple) else (value,)
        parts.append(f"{seed}{s}{colon}" + " / ".join("—" if x is None else _number(x, fmt, never) for x in numbers))
    return between.join(parts)


def reason(claim, by_seed, chinese=False):
    """The claim's reason, its template filled with this run's values."""
    template = claim.why_zh if chinese else claim.why
    fields = {name: per_seed(by_seed, key, claim.fmt, chinese) for name, key in (("values", claim.key),) + claim.quotes}
    return template.format(**fields)


def judge(claim, by_seed, experiment="", quick=False):
    """The verdict on `claim` from {seed: that seed's measurements}: a row of results.json.

    `holds` is True when the check passes on more than half of the measured seeds, False
    when it does not, and None when no seed could measure it (the value is None), when the
    claim is an `illustration` (the course measures nothing there), or when the run was
    `quick`: its epochs were cut, so it measures but judges nothing and gives no reason.
    """
    seeds = sorted(by_seed)
    values = [by_seed[seed][claim.key] for seed in seeds]
    measured = [value for value in values if value is not None]
    row = {"section": claim.section, "claim": claim.claim, "claim_zh": claim.zh, "course": claim.course,
           "seeds": seeds, "experiment": experiment, "values": [_jsonable(value) for value in values],
           "quick": quick, "illustration": claim.illustration}
    if quick or claim.illustration:
        ours = median_and_range(measured, claim.fmt) if measured else "not measurable here"
        ours_zh = median_and_range(measured, claim.fmt, never="未达到") if measured else "此处无法测量"
        return row | {"ours": ours, "ours_zh": ours_zh, "holds": None, "held_on": 0, "measured": len(measured),
                      "why": "", "why_zh": ""}
    if not measured:
        ours, ours_zh = "not measurable here", "此处无法测量"
        if claim.instead:
            what, key = claim.instead
            instead = median_and_range([by_seed[seed][key] for seed in seeds], claim.fmt)
            ours, ours_zh = f"{ours}; {what}: {instead}", f"{ours_zh}；{what}：{instead}"
        return row | {"ours": ours, "ours_zh": ours_zh, "holds": None, "held_on": 0, "measured": 0,
                      "why": reason(claim, by_seed), "why_zh": reason(claim, by_seed, chinese=True)}
    held_on = sum(bool(claim.check(value)) for value in measured)
    holds = held_on > len(measured) / 2
    return row | {"ours": median_and_range(measured, claim.fmt),
                  "ours_zh": median_and_range(measured, claim.fmt, never="未达到"), "holds": holds,
                  "held_on": held_on, "measured": len(measured), "why": "" if holds else reason(claim, by_seed),
                  "why_zh": "" if holds else reason(claim, by_seed, chinese=True)}


def _jsonable(value):
    """inf ("never reached") is written "never": JSON has no infinity. None ("not measurable") is null."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return "never" if value == math.inf else value


def verdict(row, chinese=False):
    """'holds (3 of 3 seeds)', 'does not hold (1 of 3 seeds)', 'cannot be measured here',
    'an illustration (the course measures nothing)' or, for a quick run, 'not judged (quick run)'."""
    if row.get("quick"):
        return "未判定（快速运行）" if chinese else "not judged (quick run)"
    if row.get("illustration"):
        return "示例（课程未测量）" if chinese else "an illustration (the course measures nothing)"
    if row["holds"] is None:
        return "此处无法测量" if chinese else "cannot be measured here"
    if chinese:
        return f"{'成立' if row['holds'] else '不成立'}（{row['measured']} 个种子中 {row['held_on']} 个成立）"
    return f"{'holds' if row['holds'] else 'does not hold'} ({row['held_on']} of {row['measured']} seeds)"


QUICK_NOTE = ("Quick run (--quick): the epochs were cut, so no claim is judged and the numbers are not the "
              "course's; run `make demo` (or `tinygrad-edu demo`) for verdicts.")
QUICK_NOTE_ZH = ("快速运行（--quick）：训练轮数被削减，因此不判定任何结论，数字也不能与课程相比；"
                 "要得到结论请运行 `make demo`（或 `tinygrad-edu demo`）。")


def tally(rows, chinese=False):
    """'21 of 30 judged claims hold; 3 are not judged (data not here, or an illustration)'."""
    judged = [row for row in rows if row["holds"] is not None]
    held = sum(row["holds"] for row in judged)
    unjudged = len(rows) - len(judged)
    if chinese:
        return f"{len(judged)} 条判定的结论中 {held} 条成立；{unjudged} 条未判定（数据不在此处，或只是示例）"
    return f"{held} of {len(judged)} judged claims hold; {unjudged} are not judged (data not here, or an illustration)"


def write_json(path, rows, seconds, seeds, quick=False, command="", jobs=None):
    """The run as data: its claims, and which run it was (date, command, seeds, processes, seconds)."""
    document = {"claims": rows, "seconds": round(seconds), "seeds": seeds, "quick": quick,
                "date": datetime.date.today().isoformat(), "command": command, "jobs": jobs}
    with open(path, "w", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False, indent=1, allow_nan=False)
        file.write("\n")


def failing_with_reason(rows, why="why"):
    """The rows that do not hold, or cannot be measured here, and say why (in `why`)."""
    return [row for row in rows if row["holds"] is not True and row[why]]


def markdown_table(rows, chinese=False):
    """The claims table, then one line for each claim that does not hold: why."""
    claim, ours, why = ("claim_zh", "ours_zh", "why_zh") if chinese else ("claim", "ours", "why")
    header = ("| 节 | 课程的结论 | 课程结果 | 我们：中位数（范围） | 种子 | 结论 |" if chinese else
              "| § | the course says | the course | ours: median (range) | seeds | verdict |")
    lines = [header, "|---|---|---|---|---|---|"]
    for row in rows:
        cells = (row["section"], row[claim], row["course"], row[ours], ", ".join(map(str, row["seeds"])),
                 verdict(row, chinese))
        lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |")
    reasons = [f"- {row['section']} {row[claim]}{'：' if chinese else ': '}{row[why]}"
               for row in failing_with_reason(rows, why)]
    if reasons:
        lines += ["", "不成立（或在此无法测量）的原因：" if chinese else
                  "Why these do not hold (or cannot be measured here):", ""] + reasons
    return "\n".join(lines)
