"""Jelajah Data: explore a curated dataset (filter, group, measure, pivot, chart) or ask it in read-only SQL."""
import streamlit as st

from analytics import format as fmt, jelajah as jl, sandbox as sb
from analytics.people import sources
from analytics.viewer import AccessDenied
from ui import PLOTLY_CONFIG, audit, cached, context, download, guard, right_aligned

PAGE = "Jelajah Data"
guard("jelajah")
ctx = context()
viewer = ctx.viewer
st.title("Jelajah Data")
st.caption("Ruang kerja analis: jelajahi data kurasi tanpa salinan basis data. Saringan di panel samping tidak "
           "berlaku di halaman ini. Setiap kueri dan unduhan dicatat di log audit · "
           f"data s.d. {fmt.date(ctx.as_of)}")
if viewer.person_level == "pseudonim":
    st.caption("Klien tampil dengan pseudonim tetap (K-…), tanpa nama, NIK atau nomor register.")

explorer, sql_tab = st.tabs(["Penjelajah", "SQL"])


def _seed(spec: jl.Exploration) -> None:
    """Widget state from a shared link (once per session)."""
    name = spec.dataset
    st.session_state["j_dataset"] = name
    st.session_state[f"j_kelompok_{name}"] = list(spec.by)
    st.session_state[f"j_ukuran_{name}"] = list(spec.measures)
    st.session_state[f"j_grafik_{name}"] = spec.chart or "otomatis"
    st.session_state[f"j_saring_{name}"] = [column for column, _ in spec.filters]
    for column, values in spec.filters:
        kind = jl.dataset(name).column(column).kind
        if kind in (jl.CATEGORY, jl.FLAG):
            st.session_state[f"j_f_{name}_{column}"] = list(values)
        elif kind == jl.DATE:
            st.session_state[f"j_f_{name}_{column}"] = tuple(v for v in values if v is not None)
        else:
            st.session_state[f"j_f_{name}_{column}_dari"], st.session_state[f"j_f_{name}_{column}_sampai"] = (
                (tuple(values) + (None, None))[:2])


if "j_dimuat" not in st.session_state:
    st.session_state["j_dimuat"] = True
    shared = jl.from_query(st.query_params.to_dict(), viewer)
    if shared is not None:
        _seed(shared)


def _filter(name: str, column: jl.Column):
    """One typed filter widget; returns its values in the form of Exploration.filters (None: no filter)."""
    key = f"j_f_{name}_{column.name}"
    if column.kind in (jl.CATEGORY, jl.FLAG):
        choices = cached(jl.options)(name, column.name, viewer)
        if key in st.session_state:
            st.session_state[key] = [v for v in st.session_state[key] if v in choices]
        chosen = st.multiselect(column.label, choices, format_func=lambda v: jl.option_label(v, column.name), key=key,
                                placeholder="Semua", select_all=False)
        return tuple(chosen) or None
    low, high = cached(jl.bounds)(name, column.name, viewer)
    if low is None:
        st.caption(f"{column.label}: kolom ini kosong.")
        return None
    if column.kind == jl.DATE:
        kept = tuple(st.session_state.get(key) or ())
        if not kept or any(not low <= day <= high for day in kept):  # first use, or the data changed since
            st.session_state[key] = (low, high)
        picked = st.date_input(column.label, min_value=low, max_value=high, key=key, format="DD/MM/YYYY")
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        return (picked + (None, None))[:2] if picked else None
    left, right = st.columns(2)
    lo = left.number_input(f"{column.label} dari", value=None, placeholder=fmt.number(low, 2), key=f"{key}_dari")
    hi = right.number_input(f"{column.label} sampai", value=None, placeholder=fmt.number(high, 2),
                            key=f"{key}_sampai")
    return None if lo is None and hi is None else (lo, hi)


# --- Penjelajah -------------------------------------------------------------------------------------------------
def _explorer() -> None:
    names = list(jl.DATASETS)
    name = st.selectbox("Kumpulan data", names, format_func=lambda n: jl.DATASETS[n].label, key="j_dataset",
                        placeholder="Pilih kumpulan data")
    data = jl.dataset(name)
    st.markdown(f"**{data.grain}** {data.description}")
    with st.expander("Kolom kumpulan data ini"):
        st.dataframe(jl.column_table(name, viewer), hide_index=True, width="stretch")

    filterable = jl.filterable(name)
    with st.container(border=True):
        chosen_columns = st.multiselect("Saring menurut kolom", list(filterable),
                                        format_func=lambda c: filterable[c].label, key=f"j_saring_{name}",
                                        placeholder="Tanpa saringan", select_all=False)
        filters = []
        for column in chosen_columns:
            values = _filter(name, filterable[column])
            if values is not None:
                filters.append((column, values))

    dims, offered = jl.dimensions(name), jl.measures(name, viewer)
    by_key, measure_key, chart_key = f"j_kelompok_{name}", f"j_ukuran_{name}", f"j_grafik_{name}"
    for key, allowed in ((by_key, dims), (measure_key, offered)):
        if key in st.session_state:
            st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    if by_key not in st.session_state:  # first visit of this dataset: open on a sensible grouping
        st.session_state[by_key] = [d for d in jl.DEFAULT_BY.get(name, ()) if d in dims]
    if not st.session_state.get(measure_key):
        st.session_state[measure_key] = ["baris"]
    if st.session_state.get(chart_key) not in ("otomatis", *jl.CHARTS):
        st.session_state[chart_key] = "otomatis"
    left, right = st.columns(2)
    by = left.multiselect(f"Kelompokkan menurut (paling banyak {jl.MAX_DIMENSIONS})", list(dims),
                          format_func=dims.get, max_selections=jl.MAX_DIMENSIONS, key=by_key,
                          placeholder="Tanpa pengelompokan", select_all=False)
    chosen = right.multiselect("Ukuran", list(offered), format_func=offered.get, key=measure_key, select_all=False,
                              placeholder="Jumlah baris")  # none chosen: the row count
    kind = st.session_state[chart_key]
    spec = jl.Exploration(name, tuple(filters), tuple(by), tuple(chosen) or ("baris",),
                          None if kind == "otomatis" else kind)
    for key in jl.QUERY_KEYS:  # the frame's own keys stay as they are
        st.query_params.pop(key, None)
    st.query_params.update(jl.to_query(spec))

    try:
        result = cached(jl.explore)(spec, viewer)
    except (ValueError, AccessDenied) as exc:
        st.error(f"Penjelajahan ini tidak dapat dijalankan: {exc}")
        return
    seen = st.session_state.setdefault("_jelajah_diaudit", set())
    if (spec, ctx.version) not in seen:
        seen.add((spec, ctx.version))
        audit("JELAJAH_KUERI", PAGE, len(result), jl.describe(spec))

    st.subheader("Hasil")
    if result.empty:
        st.info("Tidak ada baris yang cocok dengan saringan ini.")
        return
    if result.attrs.get("terpotong"):
        st.warning(f"Hanya {fmt.number(jl.MAX_GROUPS)} kelompok pertama yang ditampilkan; persempit saringan "
                   "atau pilih dimensi yang lebih kasar.")
    st.dataframe(jl.table(result, spec, viewer), hide_index=True, width="stretch",
                 column_config=right_aligned(jl.number_columns(spec, viewer)))
    download(jl.download_frame(result, spec, viewer), f"jelajah-{name}", PAGE)
    if not spec.by:
        return
    shown = list(spec.measures)
    focus = shown[0] if len(shown) == 1 else st.selectbox(
        "Ukuran untuk tabel silang dan grafik", shown, format_func=offered.get, key=f"j_fokus_{name}",
        placeholder="Pilih ukuran")
    if len(spec.by) == 2:
        st.markdown("**Tabel silang (pivot)**")
        cross = jl.pivot(result, spec, viewer, focus)
        st.dataframe(cross, width="stretch", column_config=right_aligned(cross.columns))
    kinds = {"otomatis": "Otomatis (garis untuk waktu, batang, bertumpuk atau peta panas)", **jl.CHARTS}
    st.selectbox("Jenis grafik", list(kinds), format_func=kinds.get, key=chart_key, placeholder="Pilih jenis grafik")
    figure = jl.figure(result, spec, viewer, spec.chart, focus)
    if figure is not None:
        st.plotly_chart(figure, config=PLOTLY_CONFIG, width="stretch", key=f"j_plot_{name}")
        source = cached(sources)(data.sources)
        st.caption(f"Apa yang ditampilkan: {offered[focus][0].lower()}{offered[focus][1:]} per kelompok. "
                   f"Siapa yang dihitung: {data.grain[0].lower()}{data.grain[1:-1]}, {jl.describe_filters(spec)}. "
                   f"Data s.d. {fmt.date(ctx.as_of)}." + (f" Sumber: {source}." if source else ""))


with explorer:
    _explorer()

# --- SQL --------------------------------------------------------------------------------------------------------
with sql_tab:
    st.caption(f"Kueri baca saja (satu pernyataan SELECT) atas tabel kurasi di bawah, seperti peran Anda "
               f"melihatnya. Paling banyak {fmt.number(sb.ROW_LIMIT)} baris ditampilkan, batas waktu "
               f"{fmt.number(sb.TIME_LIMIT)} detik. Berkas, URL, basis data lain, ekstensi dan pengaturan tidak "
               "dapat dijangkau.")

    def _use_example() -> None:
        title = st.session_state.get("j_sql_contoh")
        if title in sb.EXAMPLES:
            st.session_state["j_sql_teks"] = sb.EXAMPLES[title]

    st.selectbox("Contoh kueri", list(sb.EXAMPLES), index=None, placeholder="Pilih contoh…", key="j_sql_contoh",
                 on_change=_use_example)
    text = st.text_area("Kueri SQL", key="j_sql_teks", height=220,
                        placeholder="select program_integrasi, count(*) from klien group by all")
    if st.button("Jalankan", key="j_sql_jalankan", type="primary"):
        try:
            answer = sb.run(text, viewer, ctx.db_path)
        except sb.SandboxError as exc:
            st.session_state["j_sql_hasil"] = exc
            audit("SQL_DITOLAK", PAGE, None, f"{exc.kind}: {text[:2000]}")
        else:
            st.session_state["j_sql_hasil"] = answer
            audit("SQL_KUERI", PAGE, len(answer.frame), text[:2000])
    outcome = st.session_state.get("j_sql_hasil")
    if isinstance(outcome, sb.SandboxError):
        st.error(str(outcome))
        if outcome.detail:  # DuckDB's own words only where the message above could not say them in Indonesian
            with st.expander("Rincian teknis (pesan asli DuckDB, bahasa Inggris)"):
                st.code(outcome.detail, language=None, wrap_lines=True)
    elif outcome is not None:
        note = (f"{fmt.number(len(outcome.frame))} baris · {fmt.number(outcome.seconds, 1)} detik")
        if outcome.truncated:
            st.warning(f"Hasil dipotong: hanya {fmt.number(outcome.row_limit)} baris pertama yang ditampilkan dan "
                       "dapat diunduh. Agregasikan atau saring kueri Anda.")
        st.caption(note)
        st.dataframe(sb.display(outcome.frame), hide_index=True, width="stretch",
                     column_config=right_aligned(sb.number_columns(outcome.frame)))
        download(outcome.frame, "kueri-sql", PAGE, person_level=True)
    with st.expander("Daftar tabel dan kolom"):
        for table_name, table in jl.DATASETS.items():
            st.markdown(f"**{table_name}** — {table.grain}")
            st.dataframe(jl.column_table(table_name, viewer), hide_index=True, width="stretch")
