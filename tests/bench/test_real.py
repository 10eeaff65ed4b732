"""The real-workload benchmark's pure helpers (bench/real.py): what it draws and how it
reads its figures. The benchmark itself runs with ``make bench`` (docs/performance.md)."""

from __future__ import annotations

import math
import urllib.parse
from collections import Counter

from bench import real
from bench.common import percentile_ms

TITLES = [
    "Orto didattico della Scuola secondaria di primo grado Norberto Bobbio",
    "Custodi del Giardino condiviso di via Pianezza",
    "Un laboratorio di comunità: Casa Gramsci",
    "Riapertura dell'ex lavatoio di via Sempione come spazio di quartiere",
]


def test_a_search_phrase_is_part_of_its_title():
    rng = real.seeded(1)
    for _ in range(200):
        for title in TITLES:
            phrase = real.search_phrase(title, rng)
            assert phrase is not None
            words = phrase.split()
            assert 1 <= len(words) <= 3
            assert len(words[0]) >= 4 and len(words[-1]) >= 4
            assert phrase.casefold() in " ".join(title.split()).casefold()


def test_a_title_of_short_words_gives_no_phrase():
    assert real.search_phrase("Il re e la via", real.seeded(1)) is None
    assert real.search_phrase("", real.seeded(1)) is None


def test_search_phrases_are_distinct_and_repeatable():
    phrases = real.search_phrases(TITLES * 50, real.seeded(7))
    assert len({p.casefold() for p in phrases}) == len(phrases)
    assert phrases == real.search_phrases(TITLES * 50, real.seeded(7))


def test_a_filter_keeps_some_fields_of_a_combination_that_exists():
    combo = {"stage": "pact", "category": "verde", "district": "", "year": "2024"}
    rng = real.seeded(3)
    seen: set[str] = set()
    for _ in range(200):
        query = dict(urllib.parse.parse_qsl(real.filter_query(combo, rng)))
        assert query
        assert all(combo[key] == value for key, value in query.items())
        assert "district" not in query
        seen.update(query)
    assert seen == {"stage", "category", "year"}


def test_page_numbers_stay_in_the_list_and_favour_the_first():
    rng = real.seeded(5)
    pages = Counter(real.page_number(rng, 40) for _ in range(4000))
    assert set(pages) <= set(range(1, 41))
    assert 0.25 < pages[1] / 4000 < 0.35
    assert real.page_number(rng, 1) == 1
    assert real.with_page("/torino/pacts/", 1) == "/torino/pacts/"
    assert real.with_page("/torino/pacts/", 3) == "/torino/pacts/?page=3"


def test_percentiles_are_nearest_rank_in_milliseconds():
    latencies = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert percentile_ms(latencies, 50) == 50
    assert percentile_ms(latencies, 95) == 95
    assert percentile_ms(latencies, 99) == 99
    assert percentile_ms([0.2], 99) == 200
    assert math.isnan(percentile_ms([], 95))


def test_a_check_says_pass_or_miss_with_the_gap():
    assert real.Check("p95, staff", 412.0, 150).line() == (
        "- p95, staff: 412.0 ms (target ≤ 150): **MISS**, +262.0 ms"
    )
    assert real.Check("p95, writer", 30.0, 150).met
    rps = real.Check("throughput", 250.0, 200, unit="req/s", at_most=False)
    assert rps.met and rps.line().endswith("**pass**, +50.0 req/s")
    missing = real.Check("text search alone, p95", math.nan, 50)
    assert not missing.met and "not measured" in missing.line()


def test_a_tally_adds_up_and_reads_its_cache_hits():
    a = real.Tally(latencies=[0.01, 0.02], statuses=Counter({200: 2}), hits=1, misses=1)
    b = real.Tally(latencies=[0.03], statuses=Counter({500: 1}), failures=["timeout"])
    total = real.merge([a, b])
    assert total.requests == 3
    assert total.errors == 2
    assert total.hit_rate() == 0.5
    assert math.isnan(real.Tally().hit_rate())
    assert real.errors_cell(total) == "2 (1×500, 1×failed)"


def test_a_url_template_quotes_what_it_fills_in():
    build = real.url_template(
        lambda city, number: f"/{city}/pacts/{number}/", city="zzcityzz", number="zznumzz"
    )
    assert build(city="torino", number="TO-2024/7") == "/torino/pacts/TO-2024%2F7/"


def population() -> real.Population:
    def city(slug: str, pacts: int) -> real.CityPages:
        return real.CityPages(
            slug=slug,
            pacts=[f"P-{i}" for i in range(pacts)],
            registry_pages=math.ceil(pacts / 25),
            filters=[{"stage": "pact", "category": "verde", "district": "", "year": "2024"}],
            commons=[(i, f"bene-{i}") for i in range(10)],
            catalogue_pages=1,
            searches=["Giardino condiviso"],
        )

    return real.Population(
        home=city(real.CITY, 100),
        others=[city("latina", 30), city("roma", 10)],
        other_weights=[30, 10],
        open_pacts=["P-1", "P-2"],
        search_alone=["orto didattico"],
        citizens=[real.Citizen(1, "a@example.org", ["P-3"], "sessionid=a")],
        observation_pacts=[1],
        activity_pacts=[(2, 3)],
        authors=[4],
        pact_url=lambda city, number: f"/{city}/pacts/{number}/",
        commons_url=lambda city, pk, slug: f"/{city}/commons/{pk}-{slug}/",
        notes=[],
    )


def test_the_mix_draws_who_asks_in_the_planned_shares():
    workload = real.Workload(population(), staff_cookie="sessionid=staff")
    rng = real.seeded(11)
    requests = [workload.next(rng, client=0) for _ in range(20_000)]
    visitors = Counter(r.klass.split(":")[0] for r in requests)
    for visitor, share in real.VISITORS.items():
        assert abs(visitors[visitor] / len(requests) - share) < 0.015
    anonymous = [r for r in requests if r.klass.startswith("anonymous")]
    other = sum(r.other_city for r in anonymous) / len(anonymous)
    assert abs(other - (1 - real.HOME_SHARE)) < 0.015
    assert all(not r.cookie for r in anonymous)
    assert all(r.path.startswith(f"/{real.CITY}/") or r.other_city for r in anonymous)
    staff = [r for r in requests if r.klass.startswith("staff: ")]
    assert all(r.cookie == "sessionid=staff" and "/office/pacts/" in r.path for r in staff)
    citizens = {r.path for r in requests if r.klass.startswith("citizen: ")}
    assert {"/my/pacts/", f"/{real.CITY}/pacts/new/", f"/{real.CITY}/pacts/P-3/"} <= citizens


def test_the_report_checks_every_target():
    tally = real.Tally(latencies=[0.1] * 10, statuses=Counter({200: 10}), hits=2, misses=8)
    result = real.RealResult(
        classes=dict.fromkeys(
            [
                *real.ANONYMOUS_CLASSES,
                *(f"{klass}: {page}" for klass, pages in real.PAGES_OF.items() for page in pages),
            ],
            tally,
        ),
        elapsed=1.0,
        writer=real.Tally(latencies=[0.02], statuses=Counter({200: 1})),
        writer_kinds=Counter({"observation": 1}),
        ceiling=real.Tally(latencies=[0.01] * 100, statuses=Counter({200: 100})),
        ceiling_elapsed=1.0,
        search_alone=real.Tally(latencies=[0.04] * 5, statuses=Counter({200: 5}), misses=5),
        search_elapsed=0.2,
        cpu=[
            real.CpuRow("pact page", "/torino/pacts/P-1/", 12.0, 30.0, 15.0, 20, Counter({200: 20}))
        ],
        clients=16,
    )
    report = real.render(result, notes=["a note"], seconds=60, seed=1)
    assert "| **overall** (60 s) | 100% | 110 |" in report
    assert "| citizen | 36% | 40 |" in report
    assert "| citizen: proposal form | 9% | 10 |" in report
    assert "| staff: worklist | 9% | 10 |" in report
    assert "hit rate **20%**" in report
    assert "- throughput, overall: 110.0 req/s (target ≥ 200): **MISS**, -90.0 req/s" in report
    assert "- CPU of a rendered pact page: 12.0 ms (target ≤ 10): **MISS**, +2.0 ms" in report
    assert "- CPU of a rendered registry page ≤ 10 ms: **not measured**" in report
    assert "- text search alone, p95: 40.0 ms (target ≤ 50): **pass**, -10.0 ms" in report
    assert "- errors: none" in report
