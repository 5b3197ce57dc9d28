"""The claim machinery: verdicts from given numbers, results.json, RESULTS.md and out/index.html
(checked in headless Chromium), without running the demo's experiments."""
import base64
import json
import math
import re
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

import pytest

from tinygrad_edu import claims, demo, results_page
from tinygrad_edu.claims import Claim

AT_LEAST = Claim("9.5.1", "fits: R² ≥ 0.97", "0.988", "r2", lambda r2: r2 >= 0.97, why="the seeds differ")
NEVER = Claim("10.4.4", "one unit never reaches it", "fails", "epochs", lambda epochs: epochs == math.inf, fmt="{:.0f}")
FALLS = Claim("9.7", "epochs fall", "8200 / 3500", "sweep", lambda e: e[0] >= e[1], fmt="{:.0f}")
DIGITS = Claim("12.1", "digits ≥ 0.96", "0.975", "digits", lambda a: a >= 0.96, why="no digits offline",
               instead=("Fashion-MNIST", "fashion"))


def by_seed(key, *values):
    return {seed: {key: value} for seed, value in enumerate(values)}


def test_a_claim_holds_when_its_check_passes_on_more_than_half_of_the_seeds():
    row = claims.judge(AT_LEAST, by_seed("r2", 0.98, 0.96, 0.99), "sine_curve")
    assert (row["holds"], row["held_on"], row["measured"]) == (True, 2, 3)
    assert row["ours"] == "0.98 (0.96–0.99)" and row["seeds"] == [0, 1, 2] and row["why"] == ""
    assert claims.verdict(row) == "holds (2 of 3 seeds)"
    half = claims.judge(AT_LEAST, by_seed("r2", 0.98, 0.96, 0.99, 0.90))          # 2 of 4 is not more than half
    assert half["holds"] is False and half["why"] == "the seeds differ"
    assert claims.verdict(half) == "does not hold (2 of 4 seeds)" and half["ours"] == "0.97 (0.9–0.99)"


def test_never_reached_is_written_never_also_in_json():
    row = claims.judge(NEVER, by_seed("epochs", math.inf, math.inf, 7300))
    assert row["holds"] is True and row["ours"] == "never (7300–never)"
    assert row["values"] == ["never", "never", 7300]
    one = claims.judge(NEVER, by_seed("epochs", 5000))
    assert one["holds"] is False and one["ours"] == "5000" and claims.verdict(one) == "does not hold (0 of 1 seeds)"


def test_a_tuple_gives_a_median_and_range_per_component():
    row = claims.judge(FALLS, by_seed("sweep", (8000.0, 3000.0), (math.inf, 4000.0), (9000.0, 3500.0)))
    assert row["ours"] == "9000 (8000–never) / 3500 (3000–4000)" and row["holds"] is True
    assert row["values"] == [[8000.0, 3000.0], ["never", 4000.0], [9000.0, 3500.0]]


def test_a_claim_no_seed_can_measure_shows_what_was_measured_instead():
    results = {seed: {"digits": None, "fashion": accuracy} for seed, accuracy in enumerate((0.86, 0.87, 0.85))}
    row = claims.judge(DIGITS, results)
    assert row["holds"] is None and claims.verdict(row) == "cannot be measured here"
    assert row["ours"] == "not measurable here; Fashion-MNIST: 0.86 (0.85–0.87)" and row["why"] == "no digits offline"


def test_results_json_has_the_api_shape_and_is_strict_json(tmp_path):
    rows = [claims.judge(NEVER, by_seed("epochs", math.inf, 12)), claims.judge(AT_LEAST, by_seed("r2", 0.99))]
    claims.write_json(tmp_path / "results.json", rows, seconds=12.3, seeds=3)

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"), parse_constant=refuse)
    assert document["seconds"] == 12 and document["seeds"] == 3
    for entry in document["claims"]:
        assert {"claim", "course", "ours", "seeds", "holds"} <= set(entry)
        assert isinstance(entry["claim"], str) and isinstance(entry["ours"], str)
        assert entry["holds"] in (True, False, None) and all(isinstance(seed, int) for seed in entry["seeds"])
    assert [entry["holds"] for entry in document["claims"]] == [False, True]


def test_the_markdown_table_has_a_row_per_claim_and_a_reason_under_it_for_each_that_fails():
    rows = [claims.judge(AT_LEAST, by_seed("r2", 0.5, 0.6, 0.99)), claims.judge(NEVER, by_seed("epochs", math.inf)),
            claims.judge(DIGITS, {0: {"digits": None, "fashion": 0.86}})]
    table = claims.markdown_table(rows)
    body = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(body) == 3 and "does not hold (1 of 3 seeds)" in body[0] and "holds (1 of 1 seeds)" in body[1]
    reasons = table.split("Why these do not hold")[1]
    assert "fits: R² ≥ 0.97: the seeds differ" in reasons and "digits ≥ 0.96: no digits offline" in reasons
    assert "one unit never" not in reasons


# A 1×1 PNG, an empty drawing and an empty page: what the experiments draw, in miniature.
CONTENT = {".png": base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmM"
                                    "IQAAAABJRU5ErkJggg=="),
           ".svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
           ".html": b"<!DOCTYPE html><title>page</title>"}


def demo_folder(tmp_path):
    """An out/ folder as the demo leaves it: a figure of every experiment that draws one, on two seeds."""
    shown = demo.figures(tmp_path, [name for *_, name in demo.COURSE_MAP])
    assert shown == []                                     # nothing drawn yet, so nothing shown
    for *_, name in demo.COURSE_MAP:
        for file in demo.experiment(name).FIGURES:
            for folder in (tmp_path, tmp_path / "seeds" / "1"):
                (folder / file).parent.mkdir(parents=True, exist_ok=True)
                (folder / file).write_bytes(CONTENT[Path(file).suffix])
    rows = [claims.judge(AT_LEAST, by_seed("r2", 0.5, 0.99, 0.98)), claims.judge(DIGITS, {0: {"digits": None,
                                                                                              "fashion": 0.86}})]
    figures = demo.figures(tmp_path, [name for *_, name in demo.COURSE_MAP])
    (tmp_path / "seeds" / "7").mkdir()                     # a folder of an earlier run: not linked
    results_page.write(tmp_path / "index.html", rows, figures, demo.COURSE_MAP, seconds=600,
                       command="tinygrad-edu demo --seeds 3", other_seeds=[1])
    claims.write_json(tmp_path / "results.json", rows, seconds=600, seeds=3)
    demo.write_markdown(tmp_path / "RESULTS.md", rows, command="tinygrad-edu demo --seeds 3", seconds=600,
                        experiment_seconds={})
    return figures, (tmp_path / "index.html").read_text(encoding="utf-8")


def test_the_page_links_every_figure_with_its_caption_and_every_seed(tmp_path):
    figures, page = demo_folder(tmp_path)
    drawn = {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")
             if path.suffix in (".png", ".svg", ".html") and path.name != "index.html" and "seeds" not in path.parts}
    assert {file for file, _ in figures} == drawn
    links = set(re.findall(r'href="([^"]+)"', page))
    assert drawn <= links and {f"seeds/1/{file}" for file in drawn} <= links
    assert not any(link.startswith("seeds/7") for link in links) and "seed 7" not in page
    for file, caption in figures:
        assert f"{file}</a>: {escape(caption)}</figcaption>" in page or f"{file}</a>: {escape(caption)}</p>" in page
    assert page.count('<td class="fails">') == 0 and page.count('<td class="holds">') == 1
    assert "cannot be measured here" in page and "no digits offline" in page
    assert "1 of 1 judged claims hold; 1 are not judged" in page               # the tally, counting only verdicts
    for _, _, chinese, module in demo.COURSE_MAP:             # the course map, in both languages
        assert f"<td lang=\"zh\">{chinese}</td>" in page and f"examples/{module}.py" in page


def test_the_page_opens_offline_in_chromium_without_errors_and_every_link_resolves(browser, tmp_path):
    demo_folder(tmp_path)
    browser.get_log("performance")
    browser.get((tmp_path / "index.html").resolve().as_uri())
    browser.get_log("browser")
    assert browser.title == "tinygrad_edu: the course's claims, measured"
    assert not [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    requests = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    urls = [m["params"]["request"]["url"] for m in requests if m["method"] == "Network.requestWillBeSent"]
    assert urls and all(url.startswith("file://") for url in urls)          # nothing fetched from the network
    hrefs = browser.execute_script("return [...document.querySelectorAll('a')].map(a => a.href)")
    for href in hrefs:
        assert Path(href.removeprefix("file://")).exists(), href
    rows = browser.execute_script("return document.querySelectorAll('#claims-table tr').length")
    assert rows == 3                                        # the header and the two claims


@pytest.mark.parametrize("quick", [False, True])
def test_the_demo_runs_short_experiments_on_five_seeds_and_how_it_works_after_sine_curve(quick):
    jobs = demo.chains(3, quick)
    runs = [run for chain in jobs for run in chain]
    seeds = {name: sorted(seed for n, its_seeds in runs if n == name for seed in its_seeds) for name, _ in runs}
    assert seeds["manual_tuning"] == [0, 1, 2] and seeds["graphs"] == [0]
    assert seeds["xor_engine"] == ([0, 1, 2] if quick else [0, 1, 2, 3, 4])
    for chain in jobs:                                  # how_it_works reads what sine_curve saved for its seed
        for position, (name, its_seeds) in enumerate(chain):
            if name == "how_it_works":
                seed, = its_seeds
                assert [seed in sine for other, sine in chain[:position] if other == "sine_curve"] == [True]
    typical = [sum(demo.TYPICAL_SECONDS[name] * len(its_seeds) for name, its_seeds in chain) for chain in jobs]
    assert typical == sorted(typical, reverse=True)                         # the longest jobs start first
    assert seeds["three_class"] == ([0, 1, 2] if quick else [0, 1, 2, 3, 4])  # 11.1 lands well or badly: 5 seeds
    # An experiment that trains its seeds side by side is one job; the others one job per seed.
    assert [its_seeds for name, its_seeds in runs if name == "optimizers"] == [(0, 1, 2)]
    assert [its_seeds for name, its_seeds in runs if name == "xor_engine"] == [(seed,) for seed in seeds["xor_engine"]]
    only = demo.chains(3, quick, ["how_it_works", "xor_engine"])            # what it reads from comes along
    assert {name for chain in only for name, _ in chain} == {"sine_curve", "how_it_works", "xor_engine"}
    assert {name for *_, name in demo.COURSE_MAP} == set(seeds)


def test_an_experiment_that_fails_is_reported_and_the_others_go_on(monkeypatch):
    def run(name, quick, out, seeds):
        if name == "sine_curve":
            raise ValueError("the data has a NaN")
        return 1.0, {seed: {"measured": seed} for seed in seeds}, "  a line it printed"

    monkeypatch.setattr(demo, "_run", run)
    said = []
    jobs = [[("sine_curve", (0,)), ("how_it_works", (0,))], [("xor_engine", (0,))], [("xor_engine", (1,))],
            [("optimizers", (0, 1))]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results, seconds, failed = demo.schedule(pool, 2, jobs, quick=True, out="out", say=said.append)
    assert results == {"xor_engine": {0: {"measured": 0}, 1: {"measured": 1}},
                       "optimizers": {0: {"measured": 0}, 1: {"measured": 1}}}
    assert seconds == {"xor_engine": 2.0, "optimizers": 1.0}
    assert failed == [("sine_curve", 0, "ValueError: the data has a NaN"),
                      ("how_it_works", 0, "not run: sine_curve failed")]
    assert "✗ sine_curve, seed 0: failed: ValueError: the data has a NaN" in said
    assert any(line.startswith("✓ optimizers, seeds 0, 1: done in 1 s") for line in said)
    assert not any(line.startswith("▶ how_it_works") for line in said) and "  a line it printed" in said


EVERY_CLAIM = [(name, claim) for *_, name in demo.COURSE_MAP for claim in demo.experiment(name).CLAIMS]


@pytest.mark.parametrize("name, claim", EVERY_CLAIM, ids=[f"{name}-{claim.section}-{claim.key}"
                                                          for name, claim in EVERY_CLAIM])
def test_every_claims_check_passes_its_holding_values_and_fails_the_others(name, claim):
    assert claim.holds_for and claim.fails_for, "a claim writes out values that must pass and values that must fail"
    for value in claim.holds_for:
        assert claim.check(value), f"{claim.claim}: must hold for {value}"
    for value in claim.fails_for:
        assert not claim.check(value), f"{claim.claim}: must not hold for {value}"


def test_a_check_that_always_passes_is_caught():
    always = Claim("0", "anything", "-", "x", lambda value: True, holds_for=(1,), fails_for=(2,))
    with pytest.raises(AssertionError, match="must not hold for 2"):
        test_every_claims_check_passes_its_holding_values_and_fails_the_others("made up", always)


def test_a_quick_run_measures_but_judges_nothing_and_gives_no_reason():
    row = claims.judge(AT_LEAST, by_seed("r2", 0.5, 0.6), "sine_curve", quick=True)
    assert row["holds"] is None and row["why"] == "" and row["ours"] == "0.55 (0.5–0.6)" and row["quick"] is True
    assert claims.verdict(row) == "not judged (quick run)" and claims.verdict(row, chinese=True) == "未判定（快速运行）"
    assert claims.failing_with_reason([row]) == []
    table = claims.markdown_table([row])
    assert "not judged (quick run)" in table and "Why these" not in table


# A standalone number: not part of a name such as 1-2-1, W1 or 784-64-16-10.
NUMBER = re.compile(r"(?<![\w.\-–])\d+(?:\.\d+)?(?:e[−-]?\d+)?(?![\w\-–])")


@pytest.mark.parametrize("name, claim", EVERY_CLAIM, ids=[f"{name}-{claim.section}-{claim.key}"
                                                          for name, claim in EVERY_CLAIM])
def test_a_reason_states_no_number_but_the_runs_values_and_the_claims_own(name, claim):
    """What a reason says besides its filled fields may repeat the claim's own numbers (its
    settings and thresholds, the course's figure, the measurement's name), never a number
    measured once in some earlier run."""
    own = set(NUMBER.findall(f"{claim.claim} {claim.course} {claim.key}"))
    for template in (claim.why, claim.why_zh):
        bare = re.sub(r"\{[^}]*\}", "", template)
        stated = set(NUMBER.findall(bare)) - own
        assert not stated, (claim.claim, template, stated)


def test_a_reason_is_filled_with_each_seeds_values_of_this_run():
    sweep = Claim("9.7", "epochs fall", "8200 / 3500", "sweep", lambda e: e[0] >= e[1], fmt="{:.0f}",
                  why="epochs by seed: {values}; the other knob: {other}.", why_zh="各种子：{values}；另一个：{other}。",
                  quotes=(("other", "knob"),))
    results = {0: {"sweep": (4000.0, 5000.0), "knob": 0.25}, 2: {"sweep": (math.inf, 3000.0), "knob": 0.5}}
    row = claims.judge(sweep, results)
    assert row["holds"] is False
    assert row["why"] == "epochs by seed: seed 0: 4000 / 5000; seed 2: never / 3000; the other knob: seed 0: 0; seed 2: 0."
    assert row["why_zh"] == "各种子：种子 0：4000 / 5000；种子 2：未达到 / 3000；另一个：种子 0：0；种子 2：0。"
    held = claims.judge(sweep, {0: {"sweep": (5000.0, 4000.0), "knob": 1.0}})
    assert held["holds"] is True and held["why"] == ""


def test_an_illustration_is_shown_never_judged_nor_counted():
    shown = Claim("9.7.3", "random beats grid", "cited, not measured", "best", lambda b: b[1] < b[0],
                  illustration=True)
    row = claims.judge(shown, by_seed("best", (0.002, 0.001), (0.002, 0.003)))
    assert row["holds"] is None and row["ours"] == "0.002 / 0.002 (0.001–0.003)" and row["illustration"] is True
    assert claims.verdict(row) == "an illustration (the course measures nothing)"
    judged = claims.judge(AT_LEAST, by_seed("r2", 0.98, 0.99))
    failing = claims.judge(AT_LEAST, by_seed("r2", 0.5))
    assert claims.tally([row, judged, failing]) == ("1 of 2 judged claims hold; 1 are not judged (data not here, "
                                                    "or an illustration)")
    assert claims.tally([row, judged, failing], chinese=True).startswith("2 条判定的结论中 1 条成立")


def test_a_claim_on_the_courses_data_is_not_judged_on_a_substitute():
    from tinygrad_edu.examples import learning_rate
    batch = next(claim for claim in learning_rate.CLAIMS if claim.section == "12.3.4")
    fashion = {seed: {batch.key: None, "best η at batch 16 / 32": (0.3, 0.1)} for seed in (0, 1)}
    row = claims.judge(batch, fashion)
    assert row["holds"] is None and row["ours"] == "not measurable here; Fashion-MNIST: 0.3 / 0.1"
    digits = {0: {batch.key: (0.1, 0.5), "best η at batch 16 / 32": (0.1, 0.5)}}
    assert claims.judge(batch, digits)["holds"] is True                    # with the course's data it is judged
