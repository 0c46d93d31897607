"""Drill-down: the clients behind a figure, in the form the viewer's role allows (or not at all)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics import db
from analytics.filters import Filters, client_condition
from analytics.viewer import Viewer, identity_columns, person_scope

LIMIT = 1000
LABELS = {"no_register": "No. Register", "nama": "Nama", "pseudonim": "Pseudonim",
          "program_integrasi": "Program integrasi", "kategori_pidana": "Kategori pidana", "kecamatan": "Kecamatan",
          "pk_nama": "PK", "tanggal_mulai_bimbingan": "Mulai bimbingan", "status": "Status",
          "status_pekerjaan": "Status pekerjaan"}


def clients(viewer: Viewer, filters: Filters, where: str, params: dict | None = None,
            db_path: Path | None = None, limit: int = LIMIT) -> pd.DataFrame:
    """Clients (one row per case) matching `where`, a condition over `k` (v_klien) written by analytics code.

    Names and register numbers for kepala, the own caseload for pk, stable pseudonyms for analis; aggregate-only
    roles are refused (AccessDenied). `where` is never built from user input; values go in `params`.
    """
    scope, scope_params = person_scope(viewer, "k")
    identity, identity_params = identity_columns(viewer, "k")
    sql = f"""
        select {identity}, k.program_integrasi, k.kategori_pidana, k.kecamatan, k.pk_nama,
               k.tanggal_mulai_bimbingan, k.status, k.status_pekerjaan
        from v_klien k
        where {client_condition('k')} and {scope} and ({where})
        order by k.tanggal_mulai_bimbingan desc
        limit $batas"""
    return db.frame(sql, {**filters.params(), **scope_params, **identity_params, **(params or {}),
                          "batas": limit}, db_path)


def sources(kinds: tuple[str, ...], db_path: Path | None = None) -> str:
    """The files the figures come from and when they were loaded: 'Kehadiran.xlsx (dimuat 28 Nov 2026)'."""
    from analytics import format as fmt
    frame = db.frame("""
        select sumber_file, max(selesai) as dimuat from muat_run
        where status = 'loaded' and dibatalkan_pada is null and list_contains($jenis, jenis_data)
        group by 1 order by 2 desc, 1 limit 6""", {"jenis": list(kinds)}, db_path)
    return ", ".join(f"{f} (dimuat {fmt.date(d.date())})" for f, d in zip(frame["sumber_file"], frame["dimuat"]))
