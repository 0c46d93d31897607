"""Chart labels stay readable: no value label under a reference line, no two programs or partners with one label, no
number-at-risk row of a survival chart cut at the edge of its plot, no amount beside a bar cut at a narrow chart's
edge; numbers written one way (Rp1.234, −3) on axes and labels alike."""
import random

import pandas as pd
import pytest

from analytics import charts_anggaran, charts_hambatan, charts_mitra, charts_partisipasi, charts_risiko
from analytics.charts import text_px
from analytics.anggaran import DEVIATION_THRESHOLD
from analytics.risk import Survival

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
AUDIT_DEVIATIONS = [.125, .148, .055, .077, .086, .086, .139, .102, .014, .141, .079, None]  # TA 2026 demo


def _monthly(deviations) -> pd.DataFrame:
    return pd.DataFrame({"nama_bulan": MONTHS[:len(deviations)], "rencana": [1e7] * len(deviations),
                         "realisasi": [None if d is None else 1e7 for d in deviations], "deviasi": deviations,
                         "di_atas_ambang": [d is not None and d > DEVIATION_THRESHOLD for d in deviations]})


def _value_labels(figure) -> list[tuple[str, float, float]]:
    """(text, bottom, top) of every deviation value label, in axis units, wherever the chart puts it."""
    layout = figure.layout
    low, high = layout.yaxis2.range
    margin = layout.margin if layout.margin.t is not None else layout.template.layout.margin
    plot_px = (layout.height - margin.t - margin.b) * (layout.yaxis2.domain[1] - layout.yaxis2.domain[0])
    per_px = (high - low) / plot_px
    labels = []
    for note in layout.annotations:
        if note.yref == "y2" and note.text.endswith("%") and not note.text.startswith(("batas", "rata-rata")):
            size = note.font.size or 15
            labels.append((note.text, note.y, note.y + (size * 1.2 + 2 * (note.borderpad or 1)) * per_px))
    for trace in figure.data:  # the old way: bar text printed just above the bar
        if trace.type == "bar" and trace.yaxis == "y2" and trace.text is not None:
            for value, text in zip(trace.y, trace.text):
                if text:
                    labels.append((text, value, value + 15 * 1.2 * per_px))
    return labels


def _reference_lines(figure) -> list[float]:
    return [shape.y0 for shape in figure.layout.shapes if shape.yref == "y2" and shape.y0 == shape.y1]


def _check_monthly(deviations, mean):
    figure = charts_anggaran.monthly_plan_vs_realisation(_monthly(deviations), 2026, mean)
    labels = _value_labels(figure)
    expected = [f"{d * 100:.1f}%".replace(".", ",") for d in deviations if d is not None]
    assert sorted(t for t, _, _ in labels) == sorted(expected)
    lines = _reference_lines(figure)
    assert len(lines) == (1 if mean is None else 2)
    for text, bottom, top in labels:
        assert not any(bottom <= y <= top for y in lines), (text, bottom, top, lines)
        assert top <= figure.layout.yaxis2.range[1]  # inside the plot
    return figure


def test_deviation_labels_of_the_audit_are_clear_of_the_threshold_and_mean_lines():
    figure = _check_monthly(AUDIT_DEVIATIONS, 0.096)
    names = [t.name for t in figure.data if t.showlegend is not False]
    assert "Batas deviasi 10%" in names and "Rata-rata deviasi 9,6%" in names  # the lines are named in the legend
    assert not [a.text for a in figure.layout.annotations if "batas" in a.text or "rata-rata" in a.text]


@pytest.mark.parametrize("seed", range(25))
def test_deviation_labels_are_clear_of_the_lines_whatever_the_values(seed):
    rng = random.Random(seed)
    lines_near = [DEVIATION_THRESHOLD - 0.001 * k for k in range(30)]
    deviations = [rng.choice([None, rng.uniform(0, 0.4), rng.choice(lines_near), 0.0]) for _ in range(12)]
    known = [d for d in deviations if d is not None]
    mean = rng.choice([None, sum(known) / len(known) if known else None, 0.002, DEVIATION_THRESHOLD + 0.001])
    _check_monthly(deviations, mean)


@pytest.mark.parametrize("values, lines, expected", [
    ([5.0], [10.0], [5.5]),              # far below the line: just above the bar
    ([9.0], [10.0], [10.5]),             # the text would cross the line: above it
    ([9.0], [9.6, 10.0], [10.5]),        # two close lines: above both
    ([10.2], [9.6, 10.0], [10.7]),       # already above the lines
    ([0.0], [0.3], [0.8]),               # a mean near zero
    ([None, 1.0], [10.0], [None, 1.5]),  # a month without realisation has no label
])
def test_label_positions(values, lines, expected):
    assert charts_anggaran.label_positions(values, lines, label_height=2.0, gap=0.5) == pytest.approx(expected)


LONG = [
    ("Bimbingan Kemandirian Perikanan Angkatan I 2026", "Bimbingan Kemandirian Perikanan Angkatan I 2025"),
    ("Pelatihan Pertanian/Hidroponik Angkatan I 2026", "Pelatihan Pertanian/Hidroponik Angkatan II 2026"),
    ("Pelatihan Pangkas Rambut Kerja Sama Balai Latihan Kerja Angkatan I 2024",
     "Pelatihan Pangkas Rambut Kerja Sama Balai Latihan Kerja Angkatan II 2024"),
    ("Pelatihan Pangkas Rambut Kerja Sama Balai Latihan Kerja Kota Angkatan II 2024",
     "Pelatihan Pangkas Rambut Kerja Sama Balai Pelatihan Kerja Kota Angkatan II 2024"),  # differ in the middle
]


def _ranking(names) -> tuple[list[str], list]:
    rows = []
    for n, name in enumerate(names, start=1):
        rows += [(name, "INTERNAL", "Internal", n), (name, charts_hambatan.TOTAL_KEY, "Jumlah", n)]
    frame = pd.DataFrame(rows, columns=["nama", "faktor", "label_faktor", "jumlah"])
    figure = charts_hambatan.ranking(frame, "judul", "catatan")
    [bar] = [t for t in figure.data if t.type == "bar"]
    return list(bar.y), list(bar.customdata or [])


@pytest.mark.parametrize("a, b", LONG)
def test_two_long_program_names_keep_distinct_whole_word_labels_with_their_ending(a, b):
    labels, hover = _ranking([a, b, "Pelatihan Las Angkatan I 2026"])
    assert len(set(labels)) == 3
    assert labels[2] == "Pelatihan Las Angkatan I 2026"  # a short name is left as it is
    assert hover == [a, b, "Pelatihan Las Angkatan I 2026"]  # the whole name in the hover
    for name, label in zip((a, b), labels):
        lines = label.split("<br>")
        assert len(lines) <= 3 and all(len(line) <= 33 for line in lines)
        assert label.replace("<br>", " ").endswith(" ".join(name.split()[-3:]))  # «Angkatan II 2024» stays
        words = set(name.split())
        assert all(w in words for line in lines for w in line.lstrip("…").split()), label  # no word cut in two


def test_a_name_that_fits_stays_on_one_line():
    name = "Barbershop Gentleman Tanjung Karang"
    assert charts_hambatan.axis_labels([name]) == [name]


def test_labels_never_merge_even_for_names_that_differ_only_in_spacing():
    names = ["Pelatihan Menjahit Angkatan I 2025", "Pelatihan  Menjahit Angkatan I 2025"]
    assert len(set(charts_hambatan.axis_labels(names))) == 2


def _partners(names, codes=None, offices=None) -> pd.DataFrame:
    """A scorecard of partners with participants, one row per name."""
    n = len(names)
    return pd.DataFrame({"kode_bapas": offices or ["BAPAS-BDL"] * n, "kode_mitra": codes or [f"M{i}" for i in range(n)],
                         "nama_mitra": names, "peserta": [12] * n, "terdaftar": [12] * n, "selesai": [9] * n,
                         "tingkat_penyelesaian": [0.75] * n})


def _delivery(frame) -> tuple[list[str], list[str]]:
    """(axis labels, hover names) of the partner chart; both bars of a partner share its label and hover name."""
    participants, rate = [t for t in charts_mitra.partner_delivery(frame).data if t.type == "bar"]
    assert list(participants.y) == list(rate.y) and list(participants.customdata) == list(rate.customdata)
    assert all("%{customdata}" in t.hovertemplate and "%{y}" not in t.hovertemplate for t in (participants, rate))
    return list(participants.y), list(participants.customdata)


def test_two_partners_sharing_a_long_prefix_keep_two_bars_and_their_whole_names():
    a = "Lembaga Pelatihan Kerja Swasta Karya Mandiri Cabang Bandar Lampung"
    b = "Lembaga Pelatihan Kerja Swasta Karya Mandiri Cabang Metro"
    assert a[:34] == b[:34]  # the old 34-character cut gave both «Lembaga Pelatihan Kerja Swasta Ka…»
    labels, hover = _delivery(_partners([a, b]))
    assert len(set(labels)) == 2
    assert hover == [a, b]
    for name, label in zip((a, b), labels):
        assert "…" not in label or label.replace("<br>", " ").endswith(name.split()[-1])
        words = set(name.split())
        assert all(w in words for line in label.split("<br>") for w in line.lstrip("…").split()), label


def test_a_partner_name_that_fits_is_left_as_it_is():
    assert _delivery(_partners(["BLK Kota Bandar Lampung"])) == (["BLK Kota Bandar Lampung"],
                                                                   ["BLK Kota Bandar Lampung"])


def test_two_partners_of_one_name_get_their_code_then_their_office():
    labels, hover = _delivery(_partners(["BLK Kota", "BLK Kota", "Bengkel Jaya"], codes=["M1", "M2", "M3"]))
    assert labels == hover == ["BLK Kota (M1)", "BLK Kota (M2)", "Bengkel Jaya"]
    labels, hover = _delivery(_partners(["BLK Kota", "BLK Kota"], codes=["M1", "M1"],
                                        offices=["BAPAS-BDL", "BAPAS-MTR"]))
    assert labels == hover == ["BLK Kota (M1, BAPAS-BDL)", "BLK Kota (M1, BAPAS-MTR)"]


PARTNER_WORDS = ["Lembaga", "Pelatihan", "Kerja", "Balai", "Latihan", "Keterampilan", "Yayasan", "Pondok",
                 "Pesantren", "Bengkel", "Las", "Menjahit", "Karya", "Mandiri", "Sejahtera", "Bandar", "Lampung",
                 "Metro", "Timur", "Barat", "Cabang", "II", "III", "dan", "Kota", "Kabupaten", "Tata", "Boga"]


@pytest.mark.parametrize("seed", range(25))
def test_distinct_partner_names_always_get_distinct_labels(seed):
    rng = random.Random(seed)
    words = lambda low, high: " ".join(rng.choice(PARTNER_WORDS) for _ in range(rng.randint(low, high)))  # noqa: E731
    prefix, ending = words(3, 9), words(0, 5)  # names alike at both ends, differing in the middle
    names, count = set(), rng.randint(2, 12)
    while len(names) < count:
        name = " ".join(f"{prefix} {words(0, 4)} {ending}".split())
        names.add(rng.choice([name, name.replace(" ", "  ", 1), name + rng.choice(["", ".", " 2"])]))
    names = sorted(names)
    rng.shuffle(names)
    labels, hover = _delivery(_partners(names))
    assert len(set(labels)) == len(names)
    assert hover == names


def _survival(groups: list[str], lowest: float) -> Survival:
    """Curves falling linearly to `lowest` (their band reaching 2 points under it), at risk every 6 months to 24."""
    months = [0, 6, 12, 18, 24]
    curves = pd.DataFrame([{"kelompok": g, "bulan": m, "bertahan": 1 - (1 - lowest) * m / 24,
                            "bawah": 1 - (1 - lowest) * m / 24 - 0.02 * (m > 0),
                            "atas": min(1.0, 1.01 - (1 - lowest) * m / 24)}
                           for g in groups for m in months])
    at_risk = pd.DataFrame([{"kelompok": g, "bulan": m, "berisiko": "<10" if i == 2 else 2244 - 90 * m - i}
                            for i, g in enumerate(groups) for m in months])
    return Survival("rri", curves, at_risk, pd.DataFrame({"kelompok": groups}), 73.8, len(groups) - 1, 0.0001)


def _at_risk_lines(figure) -> tuple[list[tuple[str, float, float]], float, float]:
    """(group, bottom, top) in pixels from the figure's bottom edge of every number-at-risk text line, and the bottom
    and top of the plot those lines belong to (the category axis y2), from the layout alone."""
    layout = figure.layout
    margin = layout.margin if layout.margin.t is not None else layout.template.layout.margin
    bottom = margin.b if margin.b is not None else layout.template.layout.margin.b
    plot_px = layout.height - margin.t - bottom
    axis = layout.yaxis2
    low, high = bottom + axis.domain[0] * plot_px, bottom + axis.domain[1] * plot_px
    texts = [t for t in figure.data if t.yaxis == "y2" and t.mode == "text"]
    categories = list(axis.categoryarray) if axis.categoryarray else list(dict.fromkeys(t.y[0] for t in texts))
    if axis.range is not None:
        start, end = axis.range
    else:  # an autoranged category axis ends (within ~5% of its span) on the first and last category
        start, end = (len(categories) - 1, 0) if axis.autorange == "reversed" else (0, len(categories) - 1)
    lines = []
    for trace in texts:
        half = (trace.textfont.size or 15) * 1.2 / 2
        for group in dict.fromkeys(trace.y):
            centre = low + (categories.index(group) - start) / (end - start) * (high - low)
            lines.append((group, centre - half, centre + half))
    return lines, low, high


@pytest.mark.parametrize("groups", [["Rendah", "Sedang", "Tinggi"],
                                    ["Rendah", "Sedang", "Tinggi", "Tidak tercatat"],
                                    ["Asimilasi", "CB", "CMB", "Diversi", "PB", "PIB", "Pidana Pengawasan",
                                     "Lainnya (< 20 kasus)"]])
def test_number_at_risk_rows_lie_whole_inside_their_plot_and_apart(groups):
    """The audit: the first row («Rendah») was drawn on the plot's top edge, its digits cut («1./91»)."""
    figure = charts_risiko.km_plot(_survival(groups, 0.815), "Kurva")
    lines, low, high = _at_risk_lines(figure)
    assert [g for g, _, _ in lines] == groups  # one line per group, the first on top
    for group, bottom, top in lines:
        assert low <= bottom and top <= high, (group, bottom, top, low, high)
    for (upper, upper_bottom, _), (lower, _, lower_top) in zip(lines, lines[1:]):
        assert lower_top <= upper_bottom, (upper, lower)  # each row under the previous one, not overlapping it
    assert figure.layout.legend.traceorder == "normal"  # the legend lists the groups in the rows' order


@pytest.mark.parametrize("lowest, floor", [(0.83, 80), (0.825, 75), (0.90, 85), (0.98, 95), (0.02, 0)])
def test_survival_axis_starts_just_under_the_lowest_band(lowest, floor):
    figure = charts_risiko.km_plot(_survival(["Rendah", "Sedang"], lowest), "Kurva")
    band = (lowest - 0.02) * 100
    start, end = figure.layout.yaxis.range
    assert (start, end) == (floor, 101)
    assert start <= band - 1 or start == 0  # nothing cut: at least one point under the lowest band
    assert band - start < 6  # and no more empty space than one 5-point step


def test_cost_composition_names_only_the_groups_spent_on():
    """A legend entry with no bar is noise: an account group no program spent on is left out of the composition."""
    frame = pd.DataFrame({"program": ["Pelatihan Las 2026", "Bimbingan Rohani 2026"],
                          "porsi_transport_honor": [0.6, 1.0], "porsi_konsumsi_bahan": [0.4, None],
                          "porsi_lainnya": [0.0, None]})
    figure = charts_anggaran.program_cost_composition(frame)
    assert [t.name for t in figure.data] == ["Transport/honor narasumber", "Konsumsi/bahan"]
    assert list(figure.data[0].x) == [60.0, 100.0]


def test_cost_composition_legend_hangs_between_title_and_plot_with_a_row_per_entry():
    """At 1000 px the legend wrapped to three rows and ran up into the title: it now hangs under the title, with
    room above the plot for each entry on a row of its own, the most it can wrap to however narrow the chart."""
    figure = charts_anggaran.program_cost_composition(_costs().assign(porsi_lainnya=[0.1, 0.0, 0.0]))
    layout, entries = figure.layout, len(figure.data)
    assert entries == 3
    assert (layout.title.yref, layout.title.y, layout.title.yanchor) == ("container", 1, "top")
    assert (layout.legend.yref, layout.legend.yanchor, layout.legend.xref, layout.legend.x) == (
        "container", "top", "container", 0)
    legend_top = (1 - layout.legend.y) * layout.height  # px from the top of the chart
    title_bottom = layout.title.pad.t + layout.template.layout.title.font.size * 1.3
    assert legend_top >= title_bottom
    assert layout.margin.t - legend_top >= entries * 15 * 1.3  # a 15 px entry per row, clear of the plot
    plot_px = layout.height - layout.margin.t - layout.template.layout.margin.b
    assert plot_px >= 38 * len(_costs())  # the bars keep their room: the chart grows by the legend


@pytest.mark.parametrize("value, top, step", [
    (57.399, 60, 10), (107.0, 120, 20), (1.3349, 1.4, 0.2), (100, 100, 20), (3, 3, 0.5), (0, 1, 0.2), (263.9, 300, 50),
    (328, 350, 50),  # not 400: the chart keeps its bars wide
])
def test_nice_top_ends_the_axis_at_a_tick_past_the_value(value, top, step):
    assert charts_anggaran.nice_top(value) == pytest.approx((top, step))


def test_money_axes_end_at_a_labelled_tick_past_their_longest_bar():
    """The audit found Biaya per jam hadir ending at «Rp 40 rb» under a bar of Rp57.399, the composition without 100%."""
    frame = pd.DataFrame({"program": ["Pelatihan Las 2026", "Bimbingan Rohani 2026"], "realisasi": [1e7, 2e6],
                          "peserta": [13, 11], "disembunyikan": [False, False], "jam_hadir": [174, 120],
                          "biaya_per_peserta": [1_334_923.0, 181_818.0], "biaya_per_jam": [57_399.0, 16_667.0]})
    figure = charts_anggaran.cost_per_participant(frame)
    for axis, longest in ((figure.layout.xaxis, 1.334923), (figure.layout.xaxis2, 57.399)):
        start, end = axis.range
        assert start == 0 and end >= longest
        assert (end / axis.dtick) == pytest.approx(round(end / axis.dtick))  # the end is a tick, so it is labelled
        assert end - axis.dtick < longest  # and no more than one empty step beyond the bar
        assert 3 <= round(end / axis.dtick) <= 5  # few labels, which stay level on a narrow screen
    composition = charts_anggaran.program_cost_composition(frame.assign(
        porsi_transport_honor=[0.5, 1.0], porsi_konsumsi_bahan=[0.5, 0.0], porsi_lainnya=[0.0, 0.0]))
    assert composition.layout.xaxis.range[1] >= 100 and 100 % composition.layout.xaxis.dtick == 0


LONG_RUN = "Bimbingan Kemandirian Kewirausahaan Angkatan I 2026"


def _costs() -> pd.DataFrame:
    """Three runs, largest cost per participant first (analytics.anggaran.cost_per_participant's order)."""
    return pd.DataFrame({
        "program": [LONG_RUN, "Pelatihan Las Angkatan I 2026", "Pelatihan Otomotif Angkatan I 2026"],
        "realisasi": [13_087_000, 13_277_000, 17_354_000], "peserta": [16, 11, 13], "disembunyikan": [False] * 3,
        "jam_hadir": [228.0, 284.0, 564.0], "biaya_per_peserta": [817_937.5, 1_207_000.0, 1_334_923.0][::-1],
        "biaya_per_jam": [57_399.0, 46_750.0, 30_770.0], "porsi_transport_honor": [0.27, 0.55, 0.48],
        "porsi_konsumsi_bahan": [0.73, 0.45, 0.52], "porsi_lainnya": [0.0, 0.0, 0.0]})


def _outside_labels_fit(figure) -> None:
    """Every amount written beside a bar fits in the right margin: a bar ends at most at its axis end, so however
    narrow the chart is drawn, the label never runs past its edge."""
    for trace in figure.data:
        if trace.type == "bar" and trace.text is not None and any(trace.text):
            assert trace.textposition == "outside" and trace.cliponaxis is False
            assert trace.textfont.size == charts_anggaran.LABEL_SIZE
            longest = max(text_px(t, charts_anggaran.LABEL_SIZE) for t in trace.text)
            assert figure.layout.margin.r >= longest + 6, (trace.name, longest)


def test_cost_per_participant_draws_its_two_panels_one_above_the_other():
    """At 1000 pixels the panels side by side had their titles over each other and their amounts cut off."""
    figure = charts_anggaran.cost_per_participant(_costs())
    layout = figure.layout
    assert list(layout.xaxis.domain) == list(layout.xaxis2.domain) == [0, 1]  # each the full width
    assert layout.yaxis.domain[0] > layout.yaxis2.domain[1]  # per participant above per attended hour
    titles = [a for a in layout.annotations if a.text in ("Biaya per peserta", "Biaya per jam hadir")]
    assert len(titles) == 2 and titles[0].y > titles[1].y
    plot_px = layout.height - layout.margin.t - layout.margin.b
    assert (layout.yaxis.domain[0] - layout.yaxis2.domain[1]) * plot_px >= 100  # axis title and next title fit
    _outside_labels_fit(figure)
    per_person, per_hour = [t for t in figure.data if t.type == "bar"]
    assert list(per_person.text) == ["Rp1.334.923", "Rp1.207.000", "Rp817.938"]  # the frame's order: largest first
    assert list(per_person.x) == sorted(per_person.x, reverse=True)
    assert per_person.y[0] == "Bimbingan Kemandirian<br>Kewirausahaan Angkatan I 2026"  # a long name on two lines
    assert [c[0] for c in per_person.customdata] == list(_costs()["program"])  # the whole name in the hover


def test_spending_by_program_keeps_its_amounts_inside_the_chart():
    """«Rp181.889.000 (68,9% da…» was cut at the right edge at 1000 pixels."""
    frame = pd.DataFrame({"program": [LONG_RUN, "Tanpa program (umum)"], "pagu": [20_000_000, 350_000_000],
                          "realisasi": [13_087_000, 181_889_000], "porsi": [0.05, 0.689], "serapan": [0.65, 0.52]})
    figure = charts_anggaran.spending_by_program(frame, 2026, 11)
    realisasi = figure.data[1]
    assert list(realisasi.text) == ["Rp13.087.000 (5,0%)", "Rp181.889.000 (68,9%)"]
    _outside_labels_fit(figure)
    assert figure.layout.xaxis.range[1] >= 350 and round(figure.layout.xaxis.range[1] / figure.layout.xaxis.dtick) <= 4
    assert "dari seluruh realisasi" in realisasi.hovertemplate and realisasi.customdata[1][0] == "Tanpa program (umum)"


def test_money_is_written_without_a_space_on_axes_as_in_values():
    """«Rp 20 jt» on an axis beside «Rp1.234.567» on its bar: one way, the way of fmt.rupiah."""
    costs = _costs()
    spending = pd.DataFrame({"program": ["Las"], "pagu": [2e7], "realisasi": [1e7], "porsi": [1.0], "serapan": [0.5]})
    accounts = pd.DataFrame({"akun": ["521211 Belanja Bahan"], "pagu": [2e7], "realisasi": [1e7],
                             "serapan": [0.5], "melebihi_pagu": [False]})
    figures = [charts_anggaran.cost_per_participant(costs), charts_anggaran.spending_by_program(spending, 2026, 11),
               charts_anggaran.pagu_vs_realisasi(accounts, 2026, 11),
               charts_anggaran.monthly_plan_vs_realisation(_monthly([0.1]), 2026, 0.1)]
    axes = [axis for f in figures for name, axis in f.layout.to_plotly_json().items()
            if name.startswith(("xaxis", "yaxis")) and "tickprefix" in axis]
    assert axes and {axis["tickprefix"] for axis in axes} == {"Rp"}
    # the zero tick reads «Rp0», not «Rp0 jt»; every other tick keeps its unit
    assert all(axis["labelalias"] == {f"Rp0{axis['ticksuffix']}": "Rp0"} for axis in axes if axis["ticksuffix"])


@pytest.mark.parametrize("suffix, alias", [(" jt", {"Rp0 jt": "Rp0"}), (" rb", {"Rp0 rb": "Rp0"}),
                                           (" M", {"Rp0 M": "Rp0"}), ("", {})])
def test_money_ticks_write_zero_without_a_unit(suffix, alias):
    assert charts_anggaran.money_ticks(suffix) == dict(tickprefix="Rp", ticksuffix=suffix, tickformat=",~f",
                                                        labelalias=alias)


def _change(differences) -> pd.DataFrame:
    labels = [f"Kategori {i}" for i in range(len(differences))]
    return pd.DataFrame({"kategori": labels, "label": labels, "label_singkat": labels,
                         "sebelumnya": [5] * len(differences), "sekarang": [5 + d for d in differences],
                         "selisih": differences})


def test_change_bars_write_a_fall_with_the_minus_of_their_axis():
    """The axis read «−3» (Plotly's minus sign), the bar beside it «(-1)»."""
    [bar] = charts_hambatan.change(_change([3, -1, 0]), "Log hambatan: perubahan per kategori", "catatan").data
    assert list(bar.text) == ["5 → 8 (+3)", "5 → 4 (\u22121)", "5 → 5 (±0)"]
    assert not any("-" in t for t in bar.text)


@pytest.mark.parametrize("counts, ticks", [
    ([2, 1, 1], [0, 1, 2]),  # the audit: 0–10 by twos under a longest bar of 2
    ([7, 3], [0, 2, 4, 6, 8]),
    ([23, 4], [0, 5, 10, 15, 20, 25]),
])
def test_placements_get_whole_number_ticks_sized_to_the_counts(counts, ticks):
    frame = pd.DataFrame({"nama_mitra": [f"Mitra {i}" for i in range(len(counts))], "penempatan": counts})
    axis = charts_partisipasi.placement_bars(frame).layout.xaxis
    shown = [axis.tick0 + k * axis.dtick for k in range(100) if axis.tick0 + k * axis.dtick <= axis.range[1]]
    assert shown == ticks and axis.showticklabels
    assert max(counts) < axis.range[1]  # room for the number beside the longest bar


def test_placements_all_hidden_show_no_scale():
    frame = pd.DataFrame({"nama_mitra": ["Mitra A"], "penempatan": [None], "disembunyikan": [True]})
    assert charts_partisipasi.placement_bars(frame).layout.xaxis.showticklabels is False
