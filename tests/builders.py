"""Tiny builders of office-style spreadsheets for the tests (title rows, merged header, numbering, signature)."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl


def office_sheet(ws, header: list, rows: list, *, group: dict[str, tuple[int, int]] | None = None,
                 titles: tuple[str, ...] = ("DATA", "BAPAS KELAS II BANDAR LAMPUNG"), numbering: bool = True,
                 total: bool = False, signature: bool = True, start_col: int = 1) -> dict[str, int]:
    """Write one table the way an office does; returns the Excel row numbers of its parts.

    `group` maps a group label to the (first, last) 0-based header positions it spans: those columns get the
    label merged above them, every other header is merged vertically over the two header rows.
    """
    width = len(header)
    r = 1
    for title in titles:
        ws.cell(r, start_col, title)
        ws.merge_cells(start_row=r, start_column=start_col, end_row=r, end_column=start_col + width - 1)
        r += 1
    r += 1  # spacer
    parts = {}
    if group:
        grouped = {i for a, b in group.values() for i in range(a, b + 1)}
        for label, (a, b) in group.items():
            ws.cell(r, start_col + a, label)
            ws.merge_cells(start_row=r, start_column=start_col + a, end_row=r, end_column=start_col + b)
        for i, h in enumerate(header):
            if i in grouped:
                ws.cell(r + 1, start_col + i, h)
            else:
                ws.cell(r, start_col + i, h)
                ws.merge_cells(start_row=r, start_column=start_col + i, end_row=r + 1, end_column=start_col + i)
        r += 2
    else:
        for i, h in enumerate(header):
            ws.cell(r, start_col + i, h)
        r += 1
    parts["header_end"] = r - 1
    if numbering:
        for i in range(width):
            ws.cell(r, start_col + i, f"({i + 1})")
        r += 1
    parts["first_data"] = r
    for row in rows:
        if row is not None:
            for i, value in enumerate(row):
                if value is not None:
                    ws.cell(r, start_col + i, value)
        r += 1
    if total:
        ws.cell(r, start_col, "JUMLAH")
        ws.cell(r, start_col + width - 1, 12345)
        r += 1
    if signature:
        r += 1
        ws.cell(r, start_col + max(width - 3, 0), "Bandar Lampung, 31 Oktober 2026")
        ws.cell(r + 1, start_col + max(width - 3, 0), "Kepala Bapas Kelas II Bandar Lampung")
        ws.cell(r + 4, start_col + max(width - 3, 0), "Drs. Contoh Nama")
        ws.cell(r + 5, start_col + max(width - 3, 0), "NIP. 197001011990031001")
    return parts


def workbook(path: Path, sheets: dict[str, tuple[list, list]], **layout) -> Path:
    """A workbook with one office-style table per sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in sheets.items():
        office_sheet(wb.create_sheet(name), header, rows, **layout)
    wb.save(path)
    return path


def plain_csv(path: Path, header: list, rows: list, *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    return path


KLIEN_HEADER = ["No.", "No. Register", "Nama", "Jenis Kelamin", "Tgl Lahir", "Tanggal Mulai Bimbingan",
                "Tanggal Akhir Bimbingan", "Jenis Integrasi", "Status", "Tanggal Status", "NIK"]


def klien_row(no: int, reg: str, nama: str = "Budi", jk: str = "L", lahir=dt.date(1990, 1, 1),
              mulai=dt.date(2022, 1, 10), akhir=dt.date(2023, 1, 10), program: str = "PB",
              status: str = "Aktif", tgl_status=None, nik=None) -> list:
    return [no, reg, nama, jk, lahir, mulai, akhir, program, status, tgl_status, nik]


KEHADIRAN_HEADER = ["No.", "No. Register", "Tanggal", "Jenis Kegiatan", "Kode Program", "Kehadiran", "Alasan",
                    "Durasi (jam)"]


def sheet_book(path: Path, header: list, rows: list, *, sheet: str = "Lembar1", titles: tuple[str, ...] = (),
               **layout) -> Path:
    """A workbook of one sheet laid out as an office keeps it (office_sheet), saved at path."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    office_sheet(ws, header, rows, titles=titles, **layout)
    wb.save(path)
    return path
